package org.vigil.api.storage;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Asynchronous catalog queries for one caller. The newest request wins: starting one cancels the previous one if it
 * is still queued or running. Stages complete on a scheduler thread; a user interface hands the result to its
 * display thread.
 */
@ProviderType
public interface CatalogSession extends AutoCloseable {
    CompletionStage<Page<Segment>> segments(SegmentQuery query);

    CompletionStage<List<DayCoverage>> days(Set<String> cameras);

    CompletionStage<List<HourCoverage>> hours(String cameraId, Instant from, Instant to);

    CompletionStage<List<CameraTotals>> totals();

    /** Cancels the pending request, if any. */
    void cancel();

    /** Cancels the pending request; later requests fail at once. Closing twice is harmless. */
    @Override
    void close();
}
