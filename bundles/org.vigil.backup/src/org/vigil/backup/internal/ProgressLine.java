package org.vigil.backup.internal;

import java.util.Locale;

import org.vigil.api.command.Bytes;
import org.vigil.api.job.JobProgress;

/**
 * A progress line for a terminal, printed at most once a second: phase, files, the phase's current speed, how much
 * of the whole job is done and the time left, the file in hand.
 */
final class ProgressLine {
    private String phase = "";
    private long lastDone;
    private long lastNanos;
    private double rate;

    /** The line for a snapshot taken now. */
    String line(JobProgress p) {
        long now = System.nanoTime();
        if (!p.phase().equals(phase)) {
            phase = p.phase();
            rate = 0;
            lastDone = p.done();
            lastNanos = now;
        } else if (now - lastNanos > 200_000_000L) {
            double current = (p.done() - lastDone) / ((now - lastNanos) / 1e9);
            rate = rate == 0 ? current : 0.5 * rate + 0.5 * current;
            lastDone = p.done();
            lastNanos = now;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-9s", p.phase()));
        if (p.itemsTotal() >= 0) {
            sb.append(String.format(Locale.ROOT, " %d/%d files", p.itemsDone(), p.itemsTotal()));
        }
        double shown = rate > 0 ? rate : p.throughputPerSecond(); // the job's average until the phase has its own
        if (shown > 0) {
            sb.append("  ").append(Bytes.rate(shown));
        }
        p.fraction().ifPresent(f -> sb.append(String.format(Locale.ROOT, "  %.0f%% done", f * 100)));
        p.remaining().ifPresent(r -> sb.append(", ").append(Units.duration(r)).append(" left"));
        if (!p.message().isEmpty()) {
            sb.append("  ").append(p.message());
        }
        return sb.toString();
    }
}
