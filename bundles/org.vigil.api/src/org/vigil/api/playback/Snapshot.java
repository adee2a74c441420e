package org.vigil.api.playback;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A picture written by a snapshot, at the recording's own size.
 *
 * @param frameTime when the frame in the picture was recorded (the frame shown at the time asked for)
 * @param bytes     the size of the file written
 */
public record Snapshot(String cameraId, Path file, Instant frameTime, int width, int height, ImageFormat format,
        long bytes) {
}
