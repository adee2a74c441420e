package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.camera.internal.OffsetFileClock;

/**
 * The soak's clock hook: the cameras' wall clock is the system clock plus the milliseconds in a file, re-read at
 * most once a second; a missing or unreadable file means no offset.
 */
class OffsetFileClockTest {
    private static final long WALL = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private OffsetFileClock clock(Path file) {
        return new OffsetFileClock(file, ZoneId.of("UTC"), nanos::get, () -> WALL);
    }

    @Test
    void theOffsetInTheFileSetsTheClockAheadOrBack() throws Exception {
        Path f = dir.resolve("offset");
        Files.writeString(f, "3600000\n");
        assertEquals(Instant.ofEpochMilli(WALL + 3_600_000), clock(f).instant());
        Files.writeString(f, "-3600000");
        assertEquals(WALL - 3_600_000, clock(f).millis());
    }

    @Test
    void aChangedFileIsSeenWithinASecondAndNotReadMoreOften() throws Exception {
        Path f = dir.resolve("offset");
        Files.writeString(f, "0");
        OffsetFileClock c = clock(f);
        assertEquals(WALL, c.millis());
        Files.writeString(f, "3600000");
        nanos.addAndGet(999_000_000L);
        assertEquals(WALL, c.millis(), "read again before a second passed");
        nanos.addAndGet(1_000_000L);
        assertEquals(WALL + 3_600_000, c.millis());
    }

    @Test
    void aMissingOrUnreadableFileMeansNoOffset() throws Exception {
        Path f = dir.resolve("offset");
        assertEquals(WALL, clock(f).millis());
        Files.writeString(f, "an hour");
        assertEquals(WALL, clock(f).millis());
        assertEquals(ZoneId.of("UTC"), clock(f).getZone());
    }
}
