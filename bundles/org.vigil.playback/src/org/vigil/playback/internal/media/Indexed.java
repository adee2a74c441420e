package org.vigil.playback.internal.media;

import java.util.Optional;

/**
 * What a container reader found: the video track, its samples, and a note when the file ends early (a crash or a
 * full disk cut it; the samples listed are the complete ones).
 */
public record Indexed(TrackInfo track, SampleTable samples, Optional<String> cutNote) {
}
