package org.vigil.api.storage;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * The recordings catalog: an index of every complete segment under the recordings root. Listing never touches the
 * files (seed S11). The methods here answer from indexes in milliseconds and may be called from job and command
 * threads; a user interface uses a {@link #session()}, which runs them asynchronously and lets the newest request
 * win (seed S4, S8, S12).
 */
@ProviderType
public interface RecordingCatalog {
    /** One page of the segments that overlap the query's range, in start order (or newest first). */
    Page<Segment> segments(SegmentQuery query);

    /** A segment by id, while it is catalogued. */
    Optional<Segment> segment(long id);

    /** The segment of {@code cameraId} that was recording at {@code time}, if one was. */
    Optional<Segment> segmentAt(String cameraId, Instant time);

    /** Days with recordings of the given cameras (every camera when empty), oldest first. */
    List<DayCoverage> days(Set<String> cameras);

    /** Coverage and gaps of a camera per hour over {@code [from, to)}, hours aligned in {@link #zone()}. */
    List<HourCoverage> hours(String cameraId, Instant from, Instant to);

    /** Totals per camera, by camera id. */
    List<CameraTotals> totals();

    /** Cameras that have segments, sorted. */
    List<String> cameras();

    /** The time zone days and hours are counted in (the system's). */
    ZoneId zone();

    /**
     * A session for one caller (a view, a command): each request runs off the caller's thread and cancels the
     * session's previous request if that one has not completed (its stage completes with a
     * {@link java.util.concurrent.CancellationException}). Close it when the caller goes away.
     */
    CatalogSession session();

    /** Called after segments were added, removed or changed (on a scheduler thread: return quickly). */
    Registration onChange(Consumer<CatalogChange> listener);
}
