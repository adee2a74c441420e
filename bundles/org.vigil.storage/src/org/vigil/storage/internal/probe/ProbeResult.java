package org.vigil.storage.internal.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * What the headers of a recording say.
 *
 * @param playable     a video track Vigil can play, with at least one complete frame
 * @param finalized    the muxer finished the file (index written); false for a file cut by a crash
 * @param truncated    the file ends inside a box/element: the last bytes are incomplete
 * @param duration     playable duration (complete fragments only)
 * @param creationTime the creation time the muxer wrote, when it wrote one
 * @param problem      why the file is not playable, one sentence
 */
public record ProbeResult(boolean playable, boolean finalized, boolean truncated, Container container, Codec codec,
        Duration duration, long frames, Optional<Instant> creationTime, String problem) {

    public static ProbeResult unplayable(Container container, String problem) {
        return new ProbeResult(false, false, false, container, Codec.AUTO, Duration.ZERO, 0, Optional.empty(),
                problem);
    }
}
