package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StorageState;
import org.vigil.storage.internal.SpacePolicy;
import org.vigil.storage.internal.SpacePolicy.Assessment;

/** The free-space decisions: minimum with hysteresis, emergency window, reserve. */
class SpacePolicyTest {
    private static final long GB = 1L << 30;
    private static final RetentionSettings S = new RetentionSettings(10, 2, Duration.ofHours(1), 256L << 20,
            Duration.ofMinutes(1));

    private static Assessment assess(long total, long free, long bps, boolean stuck) {
        return SpacePolicy.assess(new SpaceInfo(total, free), bps, S, stuck);
    }

    @Test
    void belowTheMinimumRetentionDeletesUntilTwoPointsAbove() {
        Assessment ok = assess(1000 * GB, 150 * GB, 0, false);
        assertEquals(StorageState.READY, ok.state());
        assertFalse(ok.retentionNeeded());
        Assessment low = assess(1000 * GB, 90 * GB, 0, false);
        assertEquals(StorageState.LOW_SPACE, low.state());
        assertTrue(low.retentionNeeded());
        assertEquals(120 * GB, low.goalFreeBytes(), "until 12 % are free");
        assertTrue(low.state().canRecord(), "recording goes on while retention works");
        assertTrue(low.reason().orElseThrow().contains("12.0 %"), low.reason().orElseThrow());
    }

    @Test
    void lessThanAnHourAtTheCurrentRateIsAnEmergency() {
        long bps = 10L << 20; // 10 MiB/s: an hour is about 35 GiB
        Assessment e = assess(100 * GB, 20 * GB, bps, false);
        assertEquals(StorageState.EMERGENCY, e.state());
        assertTrue(e.emergency() && e.state().canRecord());
        assertEquals(bps * 3600, e.goalFreeBytes(), "delete until an hour fits");
        assertTrue(e.reason().orElseThrow().contains("1h00m"), e.reason().orElseThrow());
        Assessment small = assess(40 * GB, 19 * GB, bps, false);
        assertEquals(20 * GB, small.goalFreeBytes(), "a small disk is never emptied for the window: half of it at most");
        assertEquals(StorageState.READY, assess(1000 * GB, 200 * GB, 0, false).state(), "no rate, no emergency");
    }

    @Test
    void belowTheReserveRecordingPausesAndTheReasonSaysWhetherAnythingCanBeFreed() {
        Assessment full = assess(1000 * GB, 100L << 20, 0, false);
        assertEquals(StorageState.FULL, full.state());
        assertFalse(full.state().canRecord());
        assertTrue(full.reason().orElseThrow().contains("resumes by itself"), full.reason().orElseThrow());
        Assessment stuck = assess(1000 * GB, 100L << 20, 0, true);
        assertTrue(stuck.reason().orElseThrow().contains("nothing more can be deleted"));
    }
}
