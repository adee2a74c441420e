package org.vigil.playback.internal;

import java.nio.file.Path;
import java.time.Instant;

import org.vigil.api.storage.Segment;

/** A catalogued recording file as playback sees it: where it is and the wall-clock time it covers. */
record SegmentRef(long id, String cameraId, Instant start, Instant end, Path path, String name) {

    static SegmentRef of(Segment s) {
        return new SegmentRef(s.id(), s.cameraId(), s.start(), s.end(), s.path(), s.relativePath());
    }

    long startNanos() {
        return Times.nanos(start);
    }

    long endNanos() {
        return Times.nanos(end);
    }
}
