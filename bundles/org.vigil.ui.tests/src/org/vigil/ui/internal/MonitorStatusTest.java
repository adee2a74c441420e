package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.ui.StatusReading;

/**
 * The status bar's host item from the real system monitor: CPU, memory, disk, temperature (where the host has a
 * sensor) and Vigil's memory; and how a reading is worded and graded.
 */
class MonitorStatusTest {
    private static final Pattern HOST = Pattern
            .compile("CPU \\d+ % · memory \\d+ % · disk (\\d+) % free( · \\d+ °C)? · Vigil [\\d.]+ [kMGT]?B");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    SystemMonitor monitor;

    private static Readings readings(double cpu, long memAvailable, long diskFree, Optional<Double> temperature) {
        HostReading host = new HostReading(cpu, 4, 8L << 30, memAvailable, 0.5, 0.4, 0.3, temperature,
                Optional.empty());
        List<DiskReading> disks = List.of(new DiskReading("/srv/recordings", 1000L << 30, diskFree, 10,
                Optional.empty()), new DiskReading("/mnt/second", 1000L << 30, 900L << 30, 10, Optional.empty()));
        ProcessReading process = new ProcessReading(1, 150L << 20, 0, 0, 0, 40, 60, 1024, 0);
        return new Readings(Instant.now(), host, disks, process, List.of());
    }

    @Test
    void aReadingNamesCpuMemoryTheFullestDiskTheTemperatureAndVigil() {
        StatusReading r = MonitorStatus.reading(readings(12.4, 4L << 30, 250L << 30, Optional.of(48.4)));
        assertEquals("CPU 12 % · memory 50 % · disk 25 % free · 48 °C · Vigil 157 MB", r.text()); // 150 MiB
        assertEquals(StatusReading.Level.NORMAL, r.level());
        assertTrue(r.detail().contains("Temperature 48.4 °C."), r.detail());

        StatusReading noSensor = MonitorStatus.reading(readings(12.4, 4L << 30, 250L << 30, Optional.empty()));
        assertEquals("CPU 12 % · memory 50 % · disk 25 % free · Vigil 157 MB", noSensor.text());
        assertTrue(noSensor.detail().contains("This host reports no temperature."), noSensor.detail());
    }

    @Test
    void aDiskBelowItsFloorIsAProblemAndAHotHostAWarning() {
        assertEquals(StatusReading.Level.PROBLEM,
                MonitorStatus.reading(readings(5, 4L << 30, 50L << 30, Optional.empty())).level());
        assertEquals(StatusReading.Level.WARNING,
                MonitorStatus.reading(readings(5, 4L << 30, 500L << 30, Optional.of(85.0))).level());
        assertEquals(StatusReading.Level.PROBLEM,
                MonitorStatus.reading(readings(5, 100L << 20, 500L << 30, Optional.empty())).level());
    }

    @Test
    void theStatusBarShowsTheMonitorsReadings() {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        Ui.waitUntilOnUi(display, "the status bar shows the monitor's host item",
                () -> HOST.matcher(window.statusTexts().getOrDefault("host", "")).matches());
        Matcher m = HOST.matcher(Ui.call(display, () -> window.statusTexts().get("host")));
        assertTrue(m.matches());
        long shown = Long.parseLong(m.group(1));
        double measured = monitor.current().orElseThrow().disks().stream().mapToDouble(DiskReading::freePercent)
                .min().orElseThrow();
        assertTrue(Math.abs(shown - measured) <= 1, "the bar shows " + shown + " % free, the monitor " + measured);
        assertEquals(monitor.current().orElseThrow().host().temperatureCelsius().isPresent(), m.group(2) != null,
                "the temperature is shown exactly when the host has a sensor");
    }
}
