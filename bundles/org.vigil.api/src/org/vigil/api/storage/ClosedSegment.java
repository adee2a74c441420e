package org.vigil.api.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.Codec;

/**
 * What a recorder announces when it has closed a segment: the file is complete (the muxer finalised it) and will
 * not be written again.
 *
 * @param path   the absolute path the recorder got from {@link StorageService#reserveSegment}
 * @param start  the time of the first frame
 * @param end    the time just after the last frame (the start of the next segment when they are contiguous)
 * @param frames video frames in the file
 * @param bytes  the file's size as the recorder saw it (the catalog stores the size it finds on disk)
 */
public record ClosedSegment(String cameraId, Path path, Instant start, Instant end, long frames, long bytes,
        Codec codec) {

    public ClosedSegment {
        CameraId.require(cameraId);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(codec, "codec");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("A segment of camera " + cameraId + " ends (" + end
                    + ") before it starts (" + start + ").");
        }
        if (codec == Codec.AUTO) {
            throw new IllegalArgumentException("A closed segment has a definite codec, not 'auto'.");
        }
        if (frames < 0 || bytes < 0) {
            throw new IllegalArgumentException("Frames and bytes of a segment cannot be negative.");
        }
    }
}
