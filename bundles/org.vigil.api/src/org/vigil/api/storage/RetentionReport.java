package org.vigil.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One retention run.
 *
 * @param deletedForAge   segments older than their camera's maximum age
 * @param deletedForBytes segments over their camera's maximum size
 * @param deletedForSpace segments deleted because free space was low (or in emergency mode)
 * @param problem         one sentence when retention could not do what was needed (nothing left to delete)
 */
public record RetentionReport(Instant started, Duration took, long deletedForAge, long deletedForBytes,
        long deletedForSpace, long bytesFreed, boolean emergency, SpaceInfo spaceAfter, Optional<String> problem) {

    public long deleted() {
        return deletedForAge + deletedForBytes + deletedForSpace;
    }
}
