package org.vigil.api.playback;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

import org.vigil.api.camera.CameraId;

/**
 * A clip to export: the recordings of one camera over {@code [from, to)} into one file, without re-encoding. The clip
 * starts at the keyframe at or before {@code from} (at most one GOP early) and ends before {@code to}.
 *
 * @param out       the file to write (MP4 for H.264 and H.265 recordings, Matroska for MJPEG); it appears only when
 *                  complete
 * @param overwrite replace {@code out} when it exists
 */
public record ExportRequest(String cameraId, Instant from, Instant to, Path out, boolean overwrite) {
    public ExportRequest {
        CameraId.require(cameraId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(out, "out");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("The start of the clip (" + from + ") must be before its end (" + to
                    + ").");
        }
    }
}
