package org.vigil.playback.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Where playback learns which recordings a camera has (the catalog in the product, a list in unit tests). */
interface Recordings {
    /** Far enough in the future for every query range. */
    Instant FAR_FUTURE = Instant.parse("9999-01-01T00:00:00Z");

    /** Up to {@code limit} recordings of {@code cameraId} that end after {@code from}, in start order. */
    List<SegmentRef> from(String cameraId, Instant from, int limit);

    /** The first start and last end of the camera's recordings, if it has any. */
    Optional<org.vigil.api.playback.TimeRange> span(String cameraId);

    /** The time zone of the catalog, for messages. */
    ZoneId zone();
}
