package org.vigil.storage.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.storage.CheckReport;

/** Counts and detail lines of a check or an import. */
final class ReportBuilder {
    final Instant started = Instant.now();
    private final long t0 = System.nanoTime();
    final boolean repair;
    long filesSeen;
    long rowsChecked;
    long catalogued;
    long rowsRemoved;
    long rowsUpdated;
    long unplayable;
    long garbageFinished;
    long foldersRemoved;
    long skipped;
    /** Protections read back from the lists on the disk (also counted as corrected rows). */
    long protectionsRestored;
    private final List<String> details = new ArrayList<>();
    private boolean complete = true;

    ReportBuilder(boolean repair) {
        this.repair = repair;
    }

    void detail(String line) {
        if (details.size() < CheckReport.DETAIL_LIMIT) {
            details.add(line);
        } else {
            complete = false;
        }
    }

    void skip(String line) {
        skipped++;
        detail(line);
    }

    CheckReport build() {
        List<String> lines = details;
        if (protectionsRestored > 0) {
            // first, whatever else the report lists: a rebuild must say that protections came back
            lines = new ArrayList<>(details.size() + 1);
            lines.add((repair ? "restored" : "would restore") + " the protection of " + protectionsRestored
                    + " recording" + (protectionsRestored == 1 ? "" : "s") + " from the lists kept beside them on the"
                    + " recordings disk (" + org.vigil.storage.internal.disk.SegmentPaths.PROTECTED_LIST + ")");
            lines.addAll(details);
        }
        return new CheckReport(started, Duration.ofNanos(System.nanoTime() - t0), repair, filesSeen, rowsChecked,
                catalogued, rowsRemoved, rowsUpdated, unplayable, garbageFinished, foldersRemoved, skipped, lines,
                complete);
    }
}
