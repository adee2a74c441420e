package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Throttling;

/** The readers against this machine's real /proc and against copies of a Raspberry Pi's kernel files. */
class HostReadingsTest {
    private static final Path REAL = Path.of("/");

    @TempDir
    Path tmp;

    @Test
    void readsThisMachinesProc() throws Exception {
        HostProbe probe = new HostProbe(REAL, false);
        // CPU work until the kernel has counted some of it (its counters move in ticks of 10 ms), at most 10 s
        long end = System.nanoTime() + 10_000_000_000L;
        double x = 0;
        HostReading h;
        do {
            long slice = System.nanoTime() + 100_000_000L;
            while (System.nanoTime() < slice) {
                x += Math.sqrt(x + 1);
            }
            h = probe.read();
        } while (h.cpuPercent() == 0 && System.nanoTime() < end);
        assertTrue(x > 0);
        assertTrue(h.cpuPercent() > 0 && h.cpuPercent() <= 100, "CPU % after busy work: " + h.cpuPercent());
        String stat = Files.readString(Path.of("/proc/stat"));
        long cpuLines = stat.lines().filter(l -> l.matches("cpu\\d+ .*")).count();
        assertEquals(cpuLines, h.cpus());
        long memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElseThrow();
        assertEquals(memTotalKb * 1024, h.memoryTotalBytes());
        assertTrue(h.memoryAvailableBytes() > 0 && h.memoryAvailableBytes() <= h.memoryTotalBytes());
        assertTrue(h.load1() >= 0 && h.load5() >= 0 && h.load15() >= 0);
    }

    @Test
    void thisMachinesTemperatureIsShownOnlyWhereAThermalZoneReportsOne() throws Exception {
        boolean zoneReports = false;
        Path thermal = Path.of("/sys/class/thermal");
        if (Files.isDirectory(thermal)) {
            try (DirectoryStream<Path> zones = Files.newDirectoryStream(thermal, "thermal_zone*")) {
                for (Path z : zones) {
                    zoneReports |= HostProbe.readZone(z).isPresent();
                }
            }
        }
        Optional<Double> t = new HostProbe(REAL, false).read().temperatureCelsius();
        assertEquals(zoneReports, t.isPresent(), "temperature " + t + " while a zone reports one: " + zoneReports);
    }

    @Test
    void readsThisProcess() throws Exception {
        ProcessProbe probe = new ProcessProbe(REAL);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        // Other threads of this framework start and end threads and open and close files while the probe reads:
        // a reading that met such a change is taken again (at most 20 times).
        ProcessReading before = null;
        int javaThreads = 0;
        for (int i = 0; i < 20; i++) {
            int a = mx.getThreadCount();
            before = probe.read(0);
            javaThreads = Math.min(a, mx.getThreadCount());
            if (before.threads() >= javaThreads) {
                break;
            }
        }
        assertEquals(ProcessHandle.current().pid(), before.pid());
        assertTrue(before.rssBytes() > 16L * 1024 * 1024, "RSS " + before.rssBytes());
        assertTrue(before.threads() >= javaThreads,
                "native threads include the JVM's " + javaThreads + ": " + before.threads());
        assertTrue(before.heapUsedBytes() > 0 && before.heapMaxBytes() >= before.heapUsedBytes());
        assertTrue(before.openFilesLimit() > 0);
        Path f = tmp.resolve("held-open");
        Files.writeString(f, "x");
        String counts = "";
        boolean seen = false;
        for (int i = 0; i < 20 && !seen; i++) {
            int closed = probe.read(0).openFiles();
            try (FileChannel a = FileChannel.open(f, StandardOpenOption.READ);
                    FileChannel b = FileChannel.open(f, StandardOpenOption.READ)) {
                int open = probe.read(0).openFiles();
                counts += closed + " -> " + open + "; ";
                seen = open >= closed + 2;
            }
        }
        assertTrue(seen, "two more open files counted: " + counts);
    }

    @Test
    void readsARaspberryPi() throws Exception {
        Path pi = Fixtures.copy("rpi4", tmp);
        HostProbe probe = new HostProbe(pi, false);
        HostReading first = probe.read();
        assertEquals(0, first.cpuPercent(), "no tick between two reads of the same file");
        Files.copy(Fixtures.copy("rpi4-2s-later", tmp).resolve("proc/stat"), pi.resolve("proc/stat"),
                StandardCopyOption.REPLACE_EXISTING);
        HostReading h = probe.read();
        assertEquals(25.0, h.cpuPercent(), 1e-9, "200 busy ticks of 800");
        assertEquals(4, h.cpus());
        assertEquals(3885396L * 1024, h.memoryTotalBytes());
        assertEquals(3031044L * 1024, h.memoryAvailableBytes());
        assertEquals(1.42, h.load1(), 1e-9);
        assertEquals(1.18, h.load5(), 1e-9);
        assertEquals(0.97, h.load15(), 1e-9);
        assertEquals(61.835, h.temperatureCelsius().orElseThrow(), 1e-9);
        Throttling t = h.throttling().orElseThrow();
        assertEquals(0x50005, t.bits());
        assertTrue(t.underVoltageNow());
        assertTrue(t.throttledNow());
        assertFalse(t.frequencyCappedNow());
        assertEquals(List.of("under-voltage", "throttled"), t.now());
        assertEquals(List.of("under-voltage", "throttled"), t.sinceBoot());

        ProcessReading p = new ProcessProbe(pi).read(0);
        assertEquals(148212L * 1024, p.rssBytes());
        assertEquals(57, p.threads());
        assertEquals(0, p.openFiles(), "no fd folder in the fixture");
    }

    @Test
    void aMissingThermalZoneIsNotShownAndIsNoError() throws Exception {
        Path old = Fixtures.copy("rpi-no-thermal", tmp);
        HostReading h = new HostProbe(old, false).read();
        assertTrue(h.temperatureCelsius().isEmpty());
        assertTrue(h.throttling().isEmpty(), "no firmware file: no throttling reading");
        assertEquals(1, h.cpus());
        assertEquals((61232L + 22528 + 201780) * 1024, h.memoryAvailableBytes(), "MemFree + Buffers + Cached");
        assertEquals(443504L * 1024, h.memoryTotalBytes());

        // A root without /proc or /sys at all (a container, a wrong path): zeros and absences, not exceptions.
        HostReading none = new HostProbe(tmp.resolve("nothing"), false).read();
        assertEquals(0, none.memoryTotalBytes());
        assertTrue(none.temperatureCelsius().isEmpty());
    }

    @Test
    void prefersTheSocZoneAndSkipsUnreadableOnes() throws Exception {
        Path pc = tmp.resolve("pc");
        Path thermal = pc.resolve("sys/class/thermal");
        Fixtures.write(thermal.resolve("thermal_zone0/type"), "acpitz\n");
        Fixtures.write(thermal.resolve("thermal_zone0/temp"), "27800\n");
        Fixtures.write(thermal.resolve("thermal_zone1/type"), "iwlwifi_1\n"); // temp unreadable: no file
        Fixtures.write(thermal.resolve("thermal_zone2/type"), "x86_pkg_temp\n");
        Fixtures.write(thermal.resolve("thermal_zone2/temp"), "48000\n");
        HostProbe probe = new HostProbe(pc, false);
        assertEquals(48.0, probe.temperature().orElseThrow(), 1e-9);
        Files.delete(thermal.resolve("thermal_zone2/temp")); // the driver went away: the next zone is used
        assertEquals(27.8, probe.temperature().orElseThrow(), 1e-9);
    }

    @Test
    void parsesEveryFormOfGetThrottled() {
        assertEquals(0x50005, HostProbe.parseThrottled("throttled=0x50005\n").orElseThrow().bits());
        assertEquals(0, HostProbe.parseThrottled("throttled=0x0").orElseThrow().bits());
        assertEquals(0x80008, HostProbe.parseThrottled("80008\n").orElseThrow().bits());
        assertTrue(HostProbe.parseThrottled("error=1 error_msg=\"Command not registered\"").isEmpty());
        assertTrue(HostProbe.parseThrottled("").isEmpty());
    }

    @Test
    void parsesCpuLinesOfOlderKernels() throws IOException {
        // 2.6 kernels have no steal/guest columns
        CpuTimes a = CpuTimes.parse("cpu  100 0 50 800 50 0 0\ncpu0 100 0 50 800 50 0 0\n").orElseThrow();
        CpuTimes b = CpuTimes.parse("cpu  130 0 60 850 60 0 0\ncpu0 130 0 60 850 60 0 0\n").orElseThrow();
        assertEquals(40.0, b.percentSince(a), 1e-9); // 40 busy of 100
        assertTrue(CpuTimes.parse("intr 1 2 3\n").isEmpty());
    }
}
