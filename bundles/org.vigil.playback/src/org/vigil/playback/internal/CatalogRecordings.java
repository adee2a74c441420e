package org.vigil.playback.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.playback.TimeRange;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;

/** {@link Recordings} from the recordings catalog (index queries only, seed S11). */
final class CatalogRecordings implements Recordings {
    private final RecordingCatalog catalog;

    CatalogRecordings(RecordingCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public List<SegmentRef> from(String cameraId, Instant from, int limit) {
        SegmentQuery q = new SegmentQuery(Set.of(cameraId), from, FAR_FUTURE,
                Math.max(1, Math.min(limit, SegmentQuery.MAX_LIMIT)), Optional.empty(), false);
        return catalog.segments(q).items().stream().map(SegmentRef::of).toList();
    }

    /** Two index lookups (the first and the last segment), not the catalog's totals over every camera. */
    @Override
    public Optional<TimeRange> span(String cameraId) {
        SegmentQuery all = new SegmentQuery(Set.of(cameraId), Instant.EPOCH, FAR_FUTURE, 1, Optional.empty(), false);
        List<Segment> first = catalog.segments(all).items();
        List<Segment> last = catalog.segments(all.newestFirst(true)).items();
        if (first.isEmpty() || last.isEmpty()) {
            return Optional.empty();
        }
        Instant end = last.get(0).end().isAfter(first.get(0).end()) ? last.get(0).end() : first.get(0).end();
        return Optional.of(new TimeRange(first.get(0).start(), end));
    }

    @Override
    public ZoneId zone() {
        return catalog.zone();
    }
}
