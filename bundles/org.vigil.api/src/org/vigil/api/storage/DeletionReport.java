package org.vigil.api.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a deletion job deleted, or with a dry run would delete.
 *
 * @param segments       segments deleted (or that would be)
 * @param bytes          their size
 * @param protectedKept  protected segments in the selection that were kept
 * @param first          start of the earliest segment concerned
 * @param last           end of the latest segment concerned
 * @param listed         for a dry run, the segments (at most {@link #LIST_LIMIT}); empty for a real run
 * @param listComplete   false when a dry run concerned more segments than it lists
 */
public record DeletionReport(boolean dryRun, long segments, long bytes, long protectedKept, Optional<Instant> first,
        Optional<Instant> last, List<Segment> listed, boolean listComplete) {
    public static final int LIST_LIMIT = 10_000;

    public DeletionReport {
        listed = List.copyOf(listed);
    }
}
