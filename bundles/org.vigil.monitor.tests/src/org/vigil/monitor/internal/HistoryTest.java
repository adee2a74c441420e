package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.camera.CameraState;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;

/** The last 24 hours at one-minute resolution: averages per minute, bounded, queryable by time. */
class HistoryTest {
    @TempDir
    Path tmp;

    private static Readings readings(Instant t, double cpu, long free, int threads, CameraState cam, double fps) {
        return new Readings(t, new HostReading(cpu, 4, 4_000_000_000L, 3_000_000_000L, 0.5, 0.4, 0.3,
                Optional.of(50 + cpu / 10), Optional.empty()),
                List.of(new DiskReading("/rec", 100_000, free, 10, Optional.empty())),
                new ProcessReading(1, 150_000_000, 40_000_000, 64_000_000, 512_000_000, threads, 90, 1024, 0.5),
                List.of(new CameraReading("front", cam, t, fps, 4_000_000, 0, 0, Optional.empty(), 0, Optional.empty(),
                        Optional.empty(), Duration.ofSeconds(60))));
    }

    @Test
    void aMinuteOfReadingsBecomesOnePointOfTheirAverages() {
        MinuteHistory h = new MinuteHistory();
        Instant t0 = Instant.parse("2025-11-13T08:00:00Z");
        // 30 readings every 2 s in 08:00, CPU 0..29 %, free space falling, the camera offline for the last 6
        for (int i = 0; i < 30; i++) {
            CameraState s = i < 24 ? CameraState.RECORDING : CameraState.RECONNECTING;
            assertTrue(h.add(readings(t0.plusSeconds(2L * i), i, 90_000 - i, 50 + i % 2, s, s.isReceiving() ? 25 : 0))
                    .isEmpty());
        }
        Optional<HistoryPoint> closed = h.add(readings(t0.plusSeconds(60), 99, 1, 1, CameraState.RECORDING, 25));
        HistoryPoint p = closed.orElseThrow();
        assertEquals(t0, p.minute());
        assertEquals(30, p.samples());
        assertEquals(14.5, p.cpuPercent(), 1e-9);
        assertEquals(50 + 2.9, p.temperatureCelsius().orElseThrow(), 1e-9, "the highest of the minute");
        assertEquals(Map.of("/rec", 90_000L - 29), p.diskFreeBytes(), "the lowest of the minute");
        assertEquals(50.5, p.threads(), 1e-9);
        HistoryPoint.Camera cam = p.cameras().get("front");
        assertEquals(CameraState.RECONNECTING, cam.state(), "the state at the end of the minute");
        assertEquals(0.8, cam.online(), 1e-9);
        assertEquals(20.0, cam.fps(), 1e-9);
        assertEquals(List.of(p), h.between(t0, t0.plusSeconds(3600)));
        assertTrue(h.between(t0.plusSeconds(60), t0.plusSeconds(3600)).isEmpty(), "the minute in progress is not shown");
    }

    @Test
    void keepsTwentyFourHoursAndAnswersRanges() {
        MinuteHistory h = new MinuteHistory();
        Instant t0 = Instant.parse("2025-11-13T00:00:00Z");
        for (int m = 0; m <= 25 * 60; m++) {
            h.add(readings(t0.plus(Duration.ofMinutes(m)), m % 100, 1000, 50, CameraState.RECORDING, 25));
        }
        assertEquals(24 * 60, h.size());
        Instant newest = t0.plus(Duration.ofMinutes(25 * 60 - 1));
        List<HistoryPoint> all = h.between(Instant.EPOCH, Instant.MAX);
        assertEquals(newest, all.get(all.size() - 1).minute());
        assertEquals(newest.minus(Duration.ofMinutes(24 * 60 - 1)), all.get(0).minute());
        List<HistoryPoint> hour = h.between(newest.minus(Duration.ofMinutes(59)), newest.plusSeconds(60));
        assertEquals(60, hour.size());
        assertEquals(5, h.newest(5).size());
        assertEquals(newest, h.newest(5).get(4).minute());
    }

    @Test
    void theServiceQueryGivesTheMonitorsHistory() {
        ManualClock clock = ManualClock.atWholeMinute();
        HealthMonitor m = new HealthMonitor(new HostProbe(Path.of("/"), false), new ProcessProbe(Path.of("/")),
                List::of, clock, MonitorConfig.defaults(tmp.resolve("rec")));
        Instant start = clock.instant();
        for (int i = 0; i < 10 * 30; i++) { // ten minutes of readings every 2 s
            m.sample();
            clock.advance(Duration.ofSeconds(2));
        }
        List<HistoryPoint> points = m.history().between(start, clock.instant());
        assertEquals(9, points.size(), "the tenth minute is in progress until a reading of the eleventh");
        m.sample();
        points = m.history().between(start, clock.instant());
        assertEquals(10, points.size());
        for (HistoryPoint p : points) {
            assertEquals(30, p.samples());
            assertTrue(p.rssBytes() > 0 && p.threads() > 0 && p.memoryUsedBytes() > 0);
        }
    }
}
