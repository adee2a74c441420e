package org.vigil.camera.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: the minimum first, doubling after each failed attempt up to the maximum, each varied by up to
 * 20 % either way (so that cameras lost together do not all retry in the same instant), never outside
 * [minimum, maximum].
 */
final class Backoff {
    static final double JITTER = 0.2;

    private final DoubleSupplier random;
    private Duration min;
    private Duration max;
    private int failures;
    private Duration last = Duration.ZERO;

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.random = random;
        limits(min, max);
    }

    /** Changes the limits; the number of failures so far is kept. */
    void limits(Duration newMin, Duration newMax) {
        this.min = newMin;
        this.max = newMax.compareTo(newMin) < 0 ? newMin : newMax;
    }

    /** The wait before the next attempt, counting one more failure. */
    Duration next() {
        long base = min.toMillis();
        for (int i = 0; i < failures && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        failures = Math.min(failures + 1, 30);
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        long millis = Math.round(base * factor);
        millis = Math.max(min.toMillis(), Math.min(max.toMillis(), millis));
        last = Duration.ofMillis(millis);
        return last;
    }

    /** The longest wait, for failures that will not go away soon (wrong password, wrong path). */
    Duration longest() {
        last = max;
        return max;
    }

    /** The wait given most recently. */
    Duration last() {
        return last;
    }

    /** Back to the minimum, after a connection that worked. */
    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
