package org.vigil.api.job;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a job's progress. {@code total} is -1 while unknown. Throughput and remaining time are derived from
 * the work done since the job started.
 *
 * @param phase      what the job is doing now, for a user ("copying", "verifying", "scanning")
 * @param done       units done so far (bytes, files, segments: see {@code unit})
 * @param total      units in all, or -1 when not known yet
 * @param unit       the unit of {@code done} and {@code total}, such as "bytes" or "files"
 * @param itemsDone  items (files) done, for jobs that count both bytes and items
 * @param itemsTotal items in all, or -1
 * @param elapsed    time since the job started
 * @param message    the latest note for a user, may be empty
 */
public record JobProgress(String phase, long done, long total, String unit, long itemsDone, long itemsTotal,
        Duration elapsed, String message) {

    public static JobProgress starting() {
        return new JobProgress("waiting", 0, -1, "", 0, -1, Duration.ZERO, "");
    }

    /** Fraction done in [0, 1], when the total is known. */
    public Optional<Double> fraction() {
        if (total <= 0) {
            return Optional.empty();
        }
        return Optional.of(Math.min(1.0, Math.max(0.0, (double) done / total)));
    }

    /** Units per second since the start. */
    public double throughputPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : done / seconds;
    }

    /** Estimated time left, when the total is known and some progress has been made. */
    public Optional<Duration> remaining() {
        double rate = throughputPerSecond();
        if (total <= 0 || rate <= 0 || done >= total) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) ((total - done) / rate * 1000)));
    }
}
