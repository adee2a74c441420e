package org.vigil.api.storage;

import java.time.Duration;
import java.time.Instant;

/** A stretch of time without recording. */
public record Gap(Instant start, Instant end) {
    public Duration duration() {
        return Duration.between(start, end);
    }
}
