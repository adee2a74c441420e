package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;

/**
 * One round of readings after another: reads the probes and the cameras' statistics, keeps the newest readings and
 * the minute history, and runs the alert rules. It knows nothing of scheduling (the {@link Sampler} calls
 * {@link #sample()}) or of OSGi, so a test drives it with its own clock.
 */
final class HealthMonitor {
    private static final Logger LOG = System.getLogger(HealthMonitor.class.getName());

    private final HostProbe host;
    private final ProcessProbe process;
    private final DiskProbe disk;
    private final Supplier<List<CameraStatistics>> cameras;
    private final Clock clock;
    private final MinuteHistory history = new MinuteHistory();
    private final AlertBook alerts = new AlertBook();
    private final AlertRules rules = new AlertRules(alerts);
    private final FreeSpaceTrend trend = new FreeSpaceTrend();
    private final ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    private final boolean threadCpu = threadBean.isCurrentThreadCpuTimeSupported();
    private volatile MonitorConfig config;
    /** The folder the recordings storage actually writes to, when one runs; null: the settings' root. */
    private volatile Supplier<Path> recordedRoot = () -> null;
    private volatile Readings latest;
    private Instant started;
    private double lastCpuMillis;
    private long samples;
    private long cpuNanosTotal;

    HealthMonitor(HostProbe host, ProcessProbe process, Supplier<List<CameraStatistics>> cameras, Clock clock,
            MonitorConfig config) {
        this.host = host;
        this.process = process;
        this.cameras = cameras;
        this.clock = clock;
        this.config = config;
        this.disk = new DiskProbe(config.recordingsRoot());
    }

    /**
     * Where the recordings actually go ({@code StorageService.recordingsRoot()}), preferred to the settings' root:
     * the volume a user needs to see is the one written to, whatever the settings say (issue 22, item 7).
     */
    void recordedRoot(Supplier<Path> root) {
        this.recordedRoot = root == null ? () -> null : root;
    }

    /** The recordings root the disk readings are about. */
    Path recordingsRoot(MonitorConfig c) {
        Path r = null;
        try {
            r = recordedRoot.get();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "The storage's recordings root could not be read: {0}", e.toString());
        }
        return r != null ? r : c.recordingsRoot();
    }

    void config(MonitorConfig newConfig) {
        this.config = newConfig;
    }

    MonitorConfig config() {
        return config;
    }

    /** Takes one round of readings, updates the history and the alerts, and returns the readings. */
    synchronized Readings sample() {
        long cpu0 = threadCpu ? threadBean.getCurrentThreadCpuTime() : 0;
        MonitorConfig c = config;
        Instant now = clock.instant();
        if (started == null) {
            started = now;
        }
        HostReading h = host.read();
        List<DiskReading> disks = disks(now, c);
        ProcessReading p = process.read(lastCpuMillis);
        Readings r = new Readings(now, h, disks, p, cameras(now));
        latest = r;
        Optional<HistoryPoint> closed = history.add(r);
        rules.evaluate(r, c);
        closed.ifPresent(point -> rules.leaks(history, point, started, c));
        if (threadCpu) {
            long spent = threadBean.getCurrentThreadCpuTime() - cpu0;
            lastCpuMillis = spent / 1e6;
            cpuNanosTotal += spent;
        }
        samples++;
        return r;
    }

    private List<DiskReading> disks(Instant now, MonitorConfig c) {
        Path root = recordingsRoot(c);
        if (!disk.root().equals(root)) {
            disk.root(root);
            trend.clear();
        }
        Optional<DiskProbe.Space> space = disk.read();
        if (space.isEmpty()) {
            return List.of();
        }
        trend.add(now, space.get().freeBytes(), c.diskTrend());
        return List.of(new DiskReading(root.toString(), space.get().totalBytes(),
                space.get().freeBytes(), c.minFreePercent(), trend.bytesPerHour(c.diskTrend())));
    }

    private List<CameraReading> cameras(Instant now) {
        List<CameraStatistics> stats;
        try {
            stats = cameras.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Reading the cameras' statistics failed: " + e, e);
            stats = List.of();
        }
        List<CameraReading> out = new ArrayList<>(stats.size());
        Set<String> ids = new HashSet<>();
        for (CameraStatistics s : stats) {
            if (s != null && ids.add(s.cameraId())) {
                out.add(new CameraReading(s.cameraId(), s.state(), s.since(), s.fps(), s.bitrateBps(), s.frames(),
                        s.bytes(), s.lastFrameAge(now), s.reconnects(), s.lastError(), s.newestSegmentAge(now),
                        s.segmentLength()));
            }
        }
        out.sort(Comparator.comparing(CameraReading::cameraId));
        return out;
    }

    Optional<Readings> current() {
        return Optional.ofNullable(latest);
    }

    MinuteHistory history() {
        return history;
    }

    AlertBook alerts() {
        return alerts;
    }

    /** Readings taken so far, and the CPU time they took together (nanoseconds), for the overhead measurement. */
    synchronized long[] cost() {
        return new long[] { samples, cpuNanosTotal };
    }
}
