package org.vigil.monitor.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Optional;

import org.vigil.api.monitor.ProcessReading;

/**
 * Vigil's own process: resident memory and threads from {@code proc/self/status} (native threads, GStreamer's
 * included, which the JVM does not count), open files from {@code proc/self/fd} and {@code proc/self/limits}, the
 * heap from the JVM. {@code root} is {@code /} on a real system.
 */
final class ProcessProbe {
    private final Path self;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long openFilesLimit = -1;

    ProcessProbe(Path root) {
        this.self = root.resolve("proc/self");
    }

    /** @param monitorCpuMillis the CPU time of the monitor's previous reading, reported with this one */
    ProcessReading read(double monitorCpuMillis) {
        long rss = 0;
        int threads = Thread.activeCount();
        Optional<String> status = ProcFiles.read(self.resolve("status"));
        if (status.isPresent()) {
            rss = Math.max(0, ProcFiles.field(status.get(), "VmRSS")) * 1024;
            long t = ProcFiles.field(status.get(), "Threads");
            if (t > 0) {
                threads = (int) t;
            }
        }
        String[] fds = self.resolve("fd").toFile().list();
        int openFiles = fds == null ? 0 : fds.length;
        if (openFilesLimit < 0) {
            openFilesLimit = ProcFiles.read(self.resolve("limits")).map(ProcessProbe::parseOpenFilesLimit).orElse(0L);
        }
        MemoryUsage heap = memory.getHeapMemoryUsage();
        return new ProcessReading(ProcessHandle.current().pid(), rss, heap.getUsed(), heap.getCommitted(),
                Math.max(heap.getMax(), heap.getCommitted()), threads, openFiles, openFilesLimit, monitorCpuMillis);
    }

    /** The soft limit of the {@code Max open files} line; 0 when unlimited or absent. */
    static long parseOpenFilesLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                try {
                    return Long.parseLong(f[0]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
