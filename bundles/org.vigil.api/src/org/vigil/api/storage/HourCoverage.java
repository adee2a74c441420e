package org.vigil.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One hour of a camera's timeline: how much of it was recorded and where the gaps are (gaps of a second or less
 * between segments do not count).
 */
public record HourCoverage(Instant start, Instant end, Duration recorded, List<Gap> gaps) {
    public HourCoverage {
        gaps = List.copyOf(gaps);
    }

    /** Recorded share of the hour in [0, 1]. */
    public double fraction() {
        long total = Duration.between(start, end).toMillis();
        return total <= 0 ? 0 : Math.min(1.0, (double) recorded.toMillis() / total);
    }
}
