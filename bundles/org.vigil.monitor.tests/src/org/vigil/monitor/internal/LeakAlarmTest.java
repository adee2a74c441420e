package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntToLongFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;

/**
 * The leak alarm: Vigil's threads or memory growing steadily for an hour. The growth is real (threads started,
 * memory touched by this very process); only the clock is moved, a minute per reading.
 */
class LeakAlarmTest {
    @TempDir
    Path tmp;

    private final ManualClock clock = ManualClock.atWholeMinute();

    private HealthMonitor realProcessMonitor(MonitorConfig config) {
        return new HealthMonitor(new HostProbe(Path.of("/"), false), new ProcessProbe(Path.of("/")), List::of, clock,
                config);
    }

    @Test
    void threadsStartedEveryMinuteForAnHourRaiseTheAlarmAndStoppingThemClearsIt() throws Exception {
        HealthMonitor m = realProcessMonitor(MonitorConfig.defaults(tmp.resolve("rec")));
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> leaked = new ArrayList<>();
        try {
            int minute = 0;
            for (; minute < 90 && !m.alerts().isActive(AlertKind.THREADS_GROWING, "vigil"); minute++) {
                Thread t = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "leaked-" + minute);
                t.start();
                leaked.add(t);
                m.sample();
                clock.advance(Duration.ofMinutes(1));
                if (minute < 69) {
                    assertFalse(m.alerts().isActive(AlertKind.THREADS_GROWING, "vigil"),
                            "no verdict before 10 min of warm-up and a full hour: minute " + minute);
                }
            }
            assertTrue(m.alerts().isActive(AlertKind.THREADS_GROWING, "vigil"), "no alarm after " + minute + " min");
            String message = m.alerts().active().stream().filter(a -> a.kind() == AlertKind.THREADS_GROWING)
                    .findFirst().orElseThrow().message();
            assertTrue(message.startsWith("Vigil's thread count grew steadily for 1 h, from "), message);
        } finally {
            release.countDown();
            for (Thread t : leaked) {
                t.join(5000);
            }
        }
        for (int i = 0; i < 20 && m.alerts().isActive(AlertKind.THREADS_GROWING, "vigil"); i++) {
            m.sample();
            clock.advance(Duration.ofMinutes(1));
        }
        assertFalse(m.alerts().isActive(AlertKind.THREADS_GROWING, "vigil"), "the leak stopped, the alarm stays");
        assertTrue(m.alerts().recent().stream().anyMatch(e -> e.message().startsWith("Vigil's thread count stopped"
                + " growing")));
    }

    @Test
    void memoryTouchedEveryMinuteForAnHourRaisesTheAlarm() throws Exception {
        HealthMonitor m = realProcessMonitor(MonitorConfig.defaults(tmp.resolve("rec"))
                .withLeak(Duration.ofMinutes(60), 32L * 1024 * 1024, 10));
        List<ByteBuffer> leaked = new ArrayList<>();
        int minute = 0;
        try {
            for (; minute < 90 && !m.alerts().isActive(AlertKind.MEMORY_GROWING, "vigil"); minute++) {
                ByteBuffer b = ByteBuffer.allocateDirect(2 * 1024 * 1024);
                while (b.hasRemaining()) {
                    b.put((byte) 1); // touch every page, so that it is resident
                }
                leaked.add(b);
                m.sample();
                clock.advance(Duration.ofMinutes(1));
            }
            assertTrue(m.alerts().isActive(AlertKind.MEMORY_GROWING, "vigil"), "no alarm after " + minute + " min");
            assertTrue(minute >= 70, "not before warm-up and an hour: " + minute);
            String message = m.alerts().active().stream().filter(a -> a.kind() == AlertKind.MEMORY_GROWING)
                    .findFirst().orElseThrow().message();
            assertTrue(message.startsWith("Vigil's memory use (RSS) grew steadily for 1 h, from "), message);
            // That the alarm clears once the growth stops is shown on a history of known figures
            // (aLeakThatStopsClearsItsAlarm): this JVM's own heap goes on growing and shrinking by several MB a
            // slice after the leak stops, at the garbage collector's whim (the clear failed 20 times of 40 here).
        } finally {
            leaked.clear();
        }
    }

    @Test
    void aLeakThatStopsClearsItsAlarm() {
        MonitorConfig c = MonitorConfig.defaults(tmp.resolve("rec"));
        long mb = 1024 * 1024;
        MinuteHistory history = new MinuteHistory();
        AlertBook book = new AlertBook();
        AlertRules rules = new AlertRules(book);
        Instant start = clock.instant();
        int raisedAt = -1;
        int clearedAt = -1;
        for (int i = 0; i <= 150 && clearedAt < 0; i++) {
            // 2 MB a minute for 80 minutes, then flat, with a garbage collector's +-2 MB on top
            long rss = 300 * mb + Math.min(i, 80) * 2 * mb + ((i * 7L) % 5 - 2) * mb;
            Readings r = new Readings(start.plus(Duration.ofMinutes(i)), new HostReading(1, 1, 1, 1, 0, 0, 0,
                    Optional.empty(), Optional.empty()), List.of(), new ProcessReading(1, rss, 1, 1, 1, 60, 10, 1024,
                            0), List.of());
            history.add(r).ifPresent(p -> rules.leaks(history, p, start, c));
            boolean active = book.isActive(AlertKind.MEMORY_GROWING, "vigil");
            if (active && raisedAt < 0) {
                raisedAt = i;
            } else if (!active && raisedAt >= 0) {
                clearedAt = i;
            }
        }
        assertTrue(raisedAt >= 70 && raisedAt <= 80, "raised after warm-up and an hour of growth: " + raisedAt);
        assertTrue(clearedAt > 80 && clearedAt <= 80 + 20, "cleared within two slices of the leak's end: "
                + clearedAt);
        assertTrue(book.recent().stream().anyMatch(e -> e.message().startsWith("Vigil's memory use (RSS) stopped"
                + " growing")), book.recent().toString());
    }

    /** Synthetic histories for what real processes do without leaking. */
    @Test
    void sawToothAndSlowGrowthAreNoLeak() {
        MonitorConfig c = MonitorConfig.defaults(tmp.resolve("rec"));
        long mb = 1024 * 1024;
        // garbage collection: +4 MB a minute, then back down every 7 minutes, for two hours
        assertFalse(leakAlarm(c, 120, i -> 200 * mb + (i % 7) * 4 * mb, i -> 60));
        // growth of 20 MB over the hour: steady but below the 32 MB threshold
        assertFalse(leakAlarm(c, 75, i -> 200 * mb + i * mb / 3, i -> 60));
        // a burst of threads for one camera reconnecting, then flat
        assertFalse(leakAlarm(c, 120, i -> 200 * mb, i -> i > 30 && i < 40 ? 90 : 60));
        // the same growth of 70 MB that is a leak when steady
        assertTrue(leakAlarm(c, 75, i -> 200 * mb + i * mb, i -> 60));
    }

    private boolean leakAlarm(MonitorConfig c, int minutes, IntToLongFunction rss, IntToLongFunction threads) {
        MinuteHistory history = new MinuteHistory();
        AlertBook book = new AlertBook();
        AlertRules rules = new AlertRules(book);
        Instant start = clock.instant();
        for (int i = 0; i <= minutes; i++) {
            Readings r = new Readings(start.plus(Duration.ofMinutes(i)), new HostReading(1, 1, 1, 1, 0, 0, 0,
                    Optional.empty(), Optional.empty()), List.of(), new ProcessReading(1, rss.applyAsLong(i), 1, 1, 1,
                            (int) threads.applyAsLong(i), 10, 1024, 0), List.of());
            history.add(r).ifPresent(p -> rules.leaks(history, p, start, c));
            if (!book.active().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
