package org.vigil.api.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.camera.CameraId;

/**
 * A listing of segments that overlap {@code [from, to)}, in start order, one page at a time.
 *
 * @param cameras     the cameras; empty means every camera
 * @param limit       page size, 1 to {@link #MAX_LIMIT}
 * @param after       continue after this cursor (from the previous page)
 * @param newestFirst list the latest segments first
 */
public record SegmentQuery(Set<String> cameras, Instant from, Instant to, int limit, Optional<PageCursor> after,
        boolean newestFirst) {
    public static final int MAX_LIMIT = 10_000;
    public static final int DEFAULT_LIMIT = 100;

    public SegmentQuery {
        cameras = Set.copyOf(Objects.requireNonNull(cameras, "cameras"));
        cameras.forEach(CameraId::require);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("A page holds 1 to " + MAX_LIMIT + " segments, not " + limit + ".");
        }
    }

    public static SegmentQuery of(String cameraId, Instant from, Instant to) {
        return new SegmentQuery(Set.of(cameraId), from, to, DEFAULT_LIMIT, Optional.empty(), false);
    }

    public static SegmentQuery allCameras(Instant from, Instant to) {
        return new SegmentQuery(Set.of(), from, to, DEFAULT_LIMIT, Optional.empty(), false);
    }

    public SegmentQuery withLimit(int newLimit) {
        return new SegmentQuery(cameras, from, to, newLimit, after, newestFirst);
    }

    public SegmentQuery after(PageCursor cursor) {
        return new SegmentQuery(cameras, from, to, limit, Optional.of(cursor), newestFirst);
    }

    public SegmentQuery newestFirst(boolean newest) {
        return new SegmentQuery(cameras, from, to, limit, after, newest);
    }
}
