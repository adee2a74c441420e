package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.DiskReading;

/** Disk alerts from a real, size-limited file system (a 16 MB tmpfs) that the test fills and empties. */
class DiskAlertsTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path tmp;

    private HealthMonitor monitor(ManualClock clock, MonitorConfig config) {
        return new HealthMonitor(new HostProbe(Path.of("/"), false), new ProcessProbe(Path.of("/")), List::of, clock,
                config);
    }

    @Test
    void belowTheRetentionFloorRaisesAfterTheGraceAndFreeingSpaceClears() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(tmp.resolve("disk"), 16)) {
            Path root = fs.dir().resolve("recordings");
            ManualClock clock = ManualClock.atWholeMinute();
            HealthMonitor m = monitor(clock, MonitorConfig.defaults(root).withDisk(root, 10, Duration.ofSeconds(30),
                    Duration.ofMinutes(10)));
            m.sample();
            DiskReading empty = m.current().orElseThrow().disks().get(0);
            assertEquals(root.toString(), empty.path(), "the root need not exist: its volume counts");
            assertEquals(16 * MB, empty.totalBytes());
            assertFalse(empty.belowFloor());

            Path video = fs.fill("recordings/front/20251113/080000.mp4", 15 * MB);
            m.sample();
            DiskReading full = m.current().orElseThrow().disks().get(0);
            assertTrue(full.belowFloor(), full.freePercent() + " % free");
            assertFalse(m.alerts().isActive(AlertKind.DISK_LOW, root.toString()), "a dip shorter than the grace");

            clock.advance(Duration.ofSeconds(30));
            m.sample();
            assertTrue(m.alerts().isActive(AlertKind.DISK_LOW, root.toString()));
            String message = m.alerts().active().get(0).message();
            assertTrue(message.startsWith("The recordings volume of " + root + " has only "), message);
            assertTrue(message.contains("below the retention floor of 10 %"), message);

            Files.delete(video); // retention deleted the oldest recording
            clock.advance(Duration.ofSeconds(2));
            m.sample();
            assertFalse(m.alerts().isActive(AlertKind.DISK_LOW, root.toString()));
            assertTrue(m.alerts().recent().get(1).message().endsWith("again, above the retention floor of 10 %."));
        }
    }

    @Test
    void fillingFasterThanRetentionFreesRaisesAndRetentionCatchingUpClears() throws Exception {
        try (Tmpfs fs = Tmpfs.mount(tmp.resolve("disk"), 16)) {
            Path root = fs.dir();
            ManualClock clock = ManualClock.atWholeMinute();
            // floor 50 % (8 MB), trend over 3 minutes, a reading every 20 s
            HealthMonitor m = monitor(clock, MonitorConfig.defaults(root).withDisk(root, 50, Duration.ofHours(1),
                    Duration.ofMinutes(3)));
            fs.fill("old.mp4", 9 * MB); // below the floor from the start
            List<Path> segments = new ArrayList<>();
            int reading = 0;
            while (!m.alerts().isActive(AlertKind.DISK_FILLING, root.toString()) && reading < 20) {
                segments.add(fs.fill("seg" + reading + ".mp4", MB / 2)); // a camera writes 1.5 MB a minute
                m.sample();
                clock.advance(Duration.ofSeconds(20));
                reading++;
            }
            assertTrue(m.alerts().isActive(AlertKind.DISK_FILLING, root.toString()), "no alert after " + reading
                    + " readings, trend " + m.current().orElseThrow().disks().get(0).freeTrendBytesPerHour());
            assertTrue(reading >= 9, "the trend needs most of the 3-minute window: " + reading + " readings");
            String message = m.alerts().active().stream().filter(a -> a.kind() == AlertKind.DISK_FILLING)
                    .findFirst().orElseThrow().message();
            assertTrue(message.contains("fills faster than retention frees space: free space fell by"), message);
            assertTrue(message.contains("at this rate it is full in"), message);
            assertTrue(m.current().orElseThrow().disks().get(0).freeTrendBytesPerHour().orElseThrow() < 0);
            assertFalse(m.alerts().isActive(AlertKind.DISK_LOW, root.toString()), "the hour's grace has not passed");

            // Retention catches up: it deletes a segment more than the camera writes, every reading.
            int more = 0;
            while (m.alerts().isActive(AlertKind.DISK_FILLING, root.toString()) && more < 30) {
                for (int i = 0; i < 2 && !segments.isEmpty(); i++) {
                    Files.delete(segments.remove(0));
                }
                segments.add(fs.fill("new" + more + ".mp4", MB / 4));
                m.sample();
                clock.advance(Duration.ofSeconds(20));
                more++;
            }
            assertFalse(m.alerts().isActive(AlertKind.DISK_FILLING, root.toString()), "still active after " + more
                    + " readings of retention");
            assertTrue(m.alerts().recent().stream().anyMatch(e -> e.message().contains("no longer falls")));
        }
    }
}
