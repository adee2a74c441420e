package org.vigil.media;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.vigil.api.codec.Container;

/**
 * What {@link MediaParser#parse} found in a playable file.
 *
 * @param container    MP4 or Matroska
 * @param track        the video track
 * @param samples      every complete frame of the video track, in decoding order
 * @param duration     the playable duration: the muxer's own figure for a finished plain file (MP4 {@code mdhd},
 *                     Matroska {@code Duration}), else the frames' durations added up
 * @param fragmented   a fragmented MP4 ({@code moov} announces fragments: {@code mvex})
 * @param finalized    the muxer finished the file (MP4: a plain file complete, a fragmented one with its
 *                     {@code mfra}; Matroska: with its {@code Cues}); false for a file cut by a crash
 * @param cutNote      why the file ends early, when it does (one sentence: the frames listed are the complete ones)
 * @param creationTime the creation time the muxer wrote, when it wrote a plausible one (2000 to 2100)
 */
public record MediaIndex(Container container, VideoTrack track, Samples samples, Duration duration,
        boolean fragmented, boolean finalized, Optional<String> cutNote, Optional<Instant> creationTime) {

    public MediaIndex {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(cutNote, "cutNote");
        Objects.requireNonNull(creationTime, "creationTime");
    }

    /** The file ends inside a box or element: its last bytes are incomplete (see {@link #cutNote()}). */
    public boolean truncated() {
        return cutNote.isPresent();
    }
}
