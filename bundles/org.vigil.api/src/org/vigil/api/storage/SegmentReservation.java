package org.vigil.api.storage;

import java.nio.file.Path;

/**
 * Where a recorder writes its next segment. The folder exists; the file does not yet. Until the recorder announces
 * the segment closed or abandoned ({@link SegmentListener}), the file counts as being written: checks and retention
 * leave it alone.
 *
 * @param path         absolute path to give the muxer's sink
 * @param relativePath the path below the recordings root
 */
public record SegmentReservation(String cameraId, Path path, String relativePath) {
}
