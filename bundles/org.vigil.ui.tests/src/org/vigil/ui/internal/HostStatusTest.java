package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.ui.StatusReading;

/** The host item of the status bar reads /proc: plain tests of its arithmetic, and one of the real /proc. */
class HostStatusTest {
    @TempDir
    Path proc;

    @Test
    void cpuBusyIsEverythingButIdleAndIowaitBetweenTwoReadings() {
        long[] before = HostStatus.cpuTicks(List.of("cpu  100 0 100 700 100 0 0 0 0 0", "cpu0 1 2 3 4"));
        long[] after = HostStatus.cpuTicks(List.of("cpu  130 0 120 740 110 0 0 0 0 0"));
        assertEquals(OptionalLong.of(50), HostStatus.busyPercent(before, after));
        assertEquals(OptionalLong.empty(), HostStatus.busyPercent(null, after), "no figure from one reading");
    }

    @Test
    void lowMemoryIsAProblemShownInTheStatusBar() throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  100 0 100 700 100 0 0 0 0 0\n");
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       8000000 kB\nMemFree:  10 kB\nMemAvailable:"
                + "     300000 kB\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/status"), "Name:\tjava\nVmRSS:\t  184320 kB\n");
        HostStatus host = new HostStatus(proc);
        StatusReading first = host.read();
        assertEquals("CPU … · memory 96 % · Vigil 189 MB", first.text());
        assertEquals(StatusReading.Level.PROBLEM, first.level());
        Files.writeString(proc.resolve("stat"), "cpu  190 0 100 710 100 0 0 0 0 0\n");
        assertEquals("CPU 90 % · memory 96 % · Vigil 189 MB", host.read().text());
    }

    @Test
    void theRealProcGivesAReading() {
        HostStatus host = new HostStatus();
        String pattern = "CPU \\d+ % · memory \\d+ % · Vigil [\\d.]+ [kMG]?B";
        assertTrue(host.read().text().matches("CPU … · memory \\d+ % · Vigil [\\d.]+ [kMG]?B"),
                "no CPU figure from one reading");
        // /proc/stat counts in clock ticks (10 ms): a figure comes once one has passed
        Ui.waitUntil("a CPU figure", () -> host.read().text().matches(pattern));
    }
}
