package org.vigil.api.storage;

import java.util.Objects;

/**
 * A deletion job's order. Protected segments are never deleted by a job; they are counted in the report.
 *
 * @param dryRun list what would be deleted and delete nothing
 */
public record DeletionRequest(SegmentSelection selection, boolean dryRun) {
    public DeletionRequest {
        Objects.requireNonNull(selection, "selection");
    }
}
