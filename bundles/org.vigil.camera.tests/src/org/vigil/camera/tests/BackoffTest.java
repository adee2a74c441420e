package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.vigil.camera.internal.TestAccess;

/** Reconnect delays: minimum first, doubling to the maximum, jittered by at most 20 %, never outside the limits. */
class BackoffTest {
    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void withoutJitterTheDelaysDoubleFromTheMinimumToTheMaximum() {
        Duration[] d = TestAccess.backoffSequence(MIN, MAX, 8, () -> 0.5);
        long[] expected = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
        for (int i = 0; i < d.length; i++) {
            assertEquals(expected[i], d[i].toMillis(), "attempt " + (i + 1));
        }
    }

    @Test
    void jitterStaysWithinTwentyPercentAndTheLimits() {
        Random r = new Random(42);
        for (int run = 0; run < 200; run++) {
            Duration[] d = TestAccess.backoffSequence(MIN, MAX, 10, r::nextDouble);
            long base = 1000;
            for (Duration x : d) {
                long ms = x.toMillis();
                assertTrue(ms >= Math.max(1000, base * 0.8 - 1) && ms <= Math.min(30000, base * 1.2 + 1),
                        ms + " ms for a base of " + base);
                base = Math.min(30000, base * 2);
            }
        }
    }

    @Test
    void aConnectionThatWorkedStartsAgainAtTheMinimum() {
        assertEquals(MIN, TestAccess.backoffAfterReset(MIN, MAX, 6));
    }

    @Test
    void theMaximumWinsOverALargerMinimum() {
        Duration[] d = TestAccess.backoffSequence(Duration.ofSeconds(5), Duration.ofSeconds(5), 3, () -> 0.0);
        for (Duration x : d) {
            assertEquals(5000, x.toMillis());
        }
    }
}
