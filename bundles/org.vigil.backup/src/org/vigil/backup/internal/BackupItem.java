package org.vigil.backup.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One recording to back up.
 *
 * @param relativePath below the recordings root and below the destination: {@code <camera>/<YYYYMMDD>/<file>}
 * @param source       the recording file
 * @param bytes        its size as catalogued
 */
record BackupItem(String cameraId, Instant start, Instant end, String relativePath, Path source, long bytes) {
    BackupItem {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(source, "source");
    }
}
