package org.vigil.ui.internal;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.Bytes;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;

/**
 * The {@code host} item of the status bar from the system monitor's newest readings: CPU, memory, the free space
 * of the fullest recordings volume, the temperature where the host has a sensor, and Vigil's own memory. It exists
 * while a {@link SystemMonitor} does and then wins over {@link HostStatus} (its ranking is higher).
 */
@Component(service = StatusSource.class, property = "service.ranking:Integer=0")
public final class MonitorStatus implements StatusSource {
    private final SystemMonitor monitor;

    @Activate
    public MonitorStatus(@Reference SystemMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String id() {
        return "host";
    }

    @Override
    public int order() {
        return 500;
    }

    @Override
    public StatusReading read() {
        return monitor.current().map(MonitorStatus::reading)
                .orElse(new StatusReading("CPU …", "The system monitor takes its first reading.",
                        StatusReading.Level.NORMAL));
    }

    static StatusReading reading(Readings r) {
        HostReading h = r.host();
        long memoryPercent = h.memoryTotalBytes() <= 0 ? 0
                : Math.round(100.0 * h.memoryUsedBytes() / h.memoryTotalBytes());
        Optional<DiskReading> disk = r.disks().stream().min(Comparator.comparingDouble(DiskReading::freePercent));
        StringBuilder text = new StringBuilder().append("CPU ").append(Math.round(h.cpuPercent())).append(" % · memory ")
                .append(memoryPercent).append(" %");
        disk.ifPresent(d -> text.append(" · disk ").append(Math.round(d.freePercent())).append(" % free"));
        h.temperatureCelsius().ifPresent(t -> text.append(" · ").append(Math.round(t)).append(" °C"));
        text.append(" · Vigil ").append(Bytes.text(r.process().rssBytes()));

        StringBuilder detail = new StringBuilder(String.format(Locale.ROOT,
                "Host CPU busy %.0f %% (%d cores, load %.2f). Memory in use %s of %s.", h.cpuPercent(),
                h.cpus(), h.load1(), Bytes.text(h.memoryUsedBytes()), Bytes.text(h.memoryTotalBytes())));
        for (DiskReading d : r.disks()) {
            detail.append(String.format(Locale.ROOT, " %s: %s free of %s (%.0f %%, floor %d %%).", d.path(),
                    Bytes.text(d.freeBytes()), Bytes.text(d.totalBytes()), d.freePercent(), d.minFreePercent()));
        }
        detail.append(h.temperatureCelsius().map(t -> String.format(Locale.ROOT, " Temperature %.1f °C.", t))
                .orElse(" This host reports no temperature."));
        h.throttling().filter(t -> t.activeNow()).ifPresent(t -> detail.append(" The CPU is throttled now."));
        detail.append(String.format(Locale.ROOT, " Vigil's own memory (RSS) %s.", Bytes.text(r.process().rssBytes())));

        StatusReading.Level level = StatusReading.Level.NORMAL;
        boolean lowMemory = h.memoryTotalBytes() > 0 && h.memoryAvailableBytes() * 100 < h.memoryTotalBytes() * 5;
        if (lowMemory || disk.map(DiskReading::belowFloor).orElse(false)) {
            level = StatusReading.Level.PROBLEM;
        } else if (h.cpuPercent() >= 90 || h.temperatureCelsius().orElse(0.0) >= 80
                || h.throttling().map(t -> t.activeNow()).orElse(false)) {
            level = StatusReading.Level.WARNING;
        }
        return new StatusReading(text.toString(), detail.toString(), level);
    }
}
