package org.vigil.api.playback;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A stretch of wall-clock time, {@code [start, end)}. */
public record TimeRange(Instant start, Instant end) {
    public TimeRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("A time range cannot end (" + end + ") before it starts (" + start
                    + ").");
        }
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
