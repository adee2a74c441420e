package org.vigil.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a consistency check (or an import) found and changed. Without repair the counts say what a repair would do
 * and nothing is changed.
 *
 * @param filesSeen       segment files found on disk
 * @param rowsChecked     catalog rows compared with the disk
 * @param catalogued      files without a row that were probed and catalogued (or imported)
 * @param rowsRemoved     rows whose file had vanished
 * @param rowsUpdated     rows corrected from the file (a truncated file, still playable)
 * @param unplayable      files that cannot be played; a repair moves them to {@code .quarantine} under the root
 * @param garbageFinished deletions interrupted earlier and finished now
 * @param foldersRemoved  empty day and camera folders removed
 * @param skipped         files left alone: not in the layout, being written, already catalogued (import)
 * @param details         one line per change, at most {@link #DETAIL_LIMIT}
 */
public record CheckReport(Instant started, Duration took, boolean repair, long filesSeen, long rowsChecked,
        long catalogued, long rowsRemoved, long rowsUpdated, long unplayable, long garbageFinished,
        long foldersRemoved, long skipped, List<String> details, boolean detailsComplete) {
    public static final int DETAIL_LIMIT = 500;

    public CheckReport {
        details = List.copyOf(details);
    }

    /** True when the catalog and the disk did not match (or, after a repair, did not match before it). */
    public boolean foundProblems() {
        return catalogued + rowsRemoved + rowsUpdated + unplayable + garbageFinished > 0;
    }

    /** One line for a user. */
    public String summary() {
        return String.format("%s %d files and %d catalog rows in %.1f s: %d catalogued, %d rows of vanished files"
                + " removed, %d rows corrected, %d unplayable, %d interrupted deletions finished, %d empty folders"
                + " removed, %d skipped.", repair ? "Checked and repaired" : "Checked (no changes made)", filesSeen,
                rowsChecked, took.toMillis() / 1000.0, catalogued, rowsRemoved, rowsUpdated, unplayable,
                garbageFinished, foldersRemoved, skipped);
    }
}
