package org.vigil.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What the catalog holds for one camera. */
public record CameraTotals(String cameraId, long segments, long bytes, Duration recorded, Optional<Instant> oldest,
        Optional<Instant> newest, long protectedSegments, long protectedBytes) {
}
