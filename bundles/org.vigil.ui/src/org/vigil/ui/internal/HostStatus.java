package org.vigil.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.command.Bytes;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;

/**
 * Host load in the status bar, read from {@code /proc}: CPU busy since the last reading, memory in use, Vigil's own
 * memory. Registered with a low ranking so that {@link MonitorStatus} (disk and temperature too) replaces it while
 * the system monitor runs.
 */
@Component(service = StatusSource.class, property = "service.ranking:Integer=-100")
public final class HostStatus implements StatusSource {
    private final Path proc;
    private long[] lastCpu;

    public HostStatus() {
        this(Path.of("/proc"));
    }

    HostStatus(Path proc) {
        this.proc = proc;
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
    public synchronized StatusReading read() {
        try {
            long[] cpu = cpuTicks(Files.readAllLines(proc.resolve("stat")));
            OptionalLong busy = busyPercent(lastCpu, cpu);
            if (lastCpu == null || busy.isPresent()) {
                lastCpu = cpu; // otherwise no tick has passed: keep measuring from the older reading
            }
            List<String> meminfo = Files.readAllLines(proc.resolve("meminfo"));
            long total = kib(meminfo, "MemTotal:").orElse(0);
            long available = kib(meminfo, "MemAvailable:").orElse(0);
            long rss = kib(Files.readAllLines(proc.resolve("self/status")), "VmRSS:").orElse(0);
            long usedPercent = total <= 0 ? 0 : Math.round(100.0 * (total - available) / total);
            String cpuText = busy.isPresent() ? busy.getAsLong() + " %" : "…";
            String text = "CPU " + cpuText + " · memory " + usedPercent + " % · Vigil " + Bytes.text(rss * 1024);
            String detail = String.format(Locale.ROOT, "Host CPU busy %s over the last second (%d cores). Memory in "
                    + "use %s of %s. Vigil's own memory (RSS) %s.", cpuText,
                    Runtime.getRuntime().availableProcessors(), Bytes.text((total - available) * 1024),
                    Bytes.text(total * 1024), Bytes.text(rss * 1024));
            StatusReading.Level level = StatusReading.Level.NORMAL;
            if (total > 0 && available * 100 < total * 5) {
                level = StatusReading.Level.PROBLEM;
            } else if ((total > 0 && available * 100 < total * 10) || busy.orElse(0) >= 90) {
                level = StatusReading.Level.WARNING;
            }
            return new StatusReading(text, detail, level);
        } catch (IOException | RuntimeException e) {
            return new StatusReading("Host load not available", "Reading /proc failed: " + e.getMessage(),
                    StatusReading.Level.NORMAL);
        }
    }

    /** The first line of /proc/stat: user nice system idle iowait irq softirq steal, in clock ticks. */
    static long[] cpuTicks(List<String> stat) {
        for (String line : stat) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long[] t = new long[Math.min(8, f.length - 1)];
                for (int i = 0; i < t.length; i++) {
                    t[i] = Long.parseLong(f[i + 1]);
                }
                return t;
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    /** Busy share between two readings: everything but idle and iowait. */
    static OptionalLong busyPercent(long[] before, long[] after) {
        if (before == null || before.length != after.length || after.length < 4) {
            return OptionalLong.empty();
        }
        long total = 0;
        long idle = 0;
        for (int i = 0; i < after.length; i++) {
            long d = after[i] - before[i];
            total += d;
            if (i == 3 || i == 4) {
                idle += d;
            }
        }
        if (total <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(100.0 * (total - idle) / total));
    }

    /** A "Key:   1234 kB" value of /proc/meminfo or /proc/self/status, in KiB. */
    static OptionalLong kib(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] f = line.substring(key.length()).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(f[0]));
            }
        }
        return OptionalLong.empty();
    }
}
