package org.vigil.api.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * One catalogued recording file: a complete, synced file under the recordings root.
 *
 * @param id           the catalog's id, stable while the row exists
 * @param relativePath the path below the recordings root, {@code <camera>/<YYYYMMDD>/<HHMMSS>.mp4}
 * @param path         the absolute path under the current recordings root
 * @param isProtected  true when {@code vigil recordings protect} exempted it from retention and deletion jobs
 */
public record Segment(long id, String cameraId, Instant start, Instant end, String relativePath, Path path,
        long bytes, long frames, Codec codec, SegmentState state, boolean isProtected) {

    public Segment {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(state, "state");
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** The container, from the file's extension. */
    public Container container() {
        return relativePath.endsWith(".mkv") ? Container.MATROSKA : Container.MP4;
    }

    /** Average bit rate in bits per second, 0 for an empty segment. */
    public long bitsPerSecond() {
        long ms = duration().toMillis();
        return ms <= 0 ? 0 : bytes * 8_000 / ms;
    }
}
