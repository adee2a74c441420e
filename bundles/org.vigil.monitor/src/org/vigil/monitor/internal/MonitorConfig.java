package org.vigil.monitor.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.RetentionSettings;
import org.vigil.api.monitor.MonitorSettings;

/**
 * The monitor's settings as values, checked and clamped to sane ranges, from the three configurations it reads:
 * {@value MonitorSettings#PID}, {@value RecordingSettings#PID} (recordings root) and {@value RetentionSettings#PID}
 * (the free-space floor).
 */
record MonitorConfig(Duration interval, Duration cameraOffline, double temperatureLimitCelsius, Duration diskLowDelay,
        Duration diskTrend, Duration leakWindow, long leakMemoryBytes, int leakThreads, Path recordingsRoot,
        int minFreePercent) {

    /** The temperature alert clears this far below the limit, so that it does not flap around it. */
    static final double TEMPERATURE_HYSTERESIS = 5;

    static MonitorConfig of(MonitorSettings m, RecordingSettings recording, RetentionSettings retention, Path dataRoot) {
        String configured = recording.recordingsRoot() == null ? "" : recording.recordingsRoot().trim();
        Path root = configured.isEmpty() ? dataRoot.resolve("recordings") : dataRoot.resolve(configured);
        return new MonitorConfig(Duration.ofSeconds(clamp(m.intervalSeconds(), 1, 60)),
                Duration.ofSeconds(clamp(m.cameraOfflineSeconds(), 1, 3600)),
                clamp(m.temperatureLimitCelsius(), 30, 150), Duration.ofSeconds(clamp(m.diskLowDelaySeconds(), 0, 86400)),
                Duration.ofMinutes(clamp(m.diskTrendMinutes(), 1, 1440)),
                Duration.ofMinutes(clamp(m.leakWindowMinutes(), 6, 1440)),
                clamp(m.leakMemoryMegabytes(), 1, 1 << 20) * 1024L * 1024L, clamp(m.leakThreads(), 1, 100_000),
                root.normalize(), clamp(retention.minFreeDiskPercent(), 0, 90));
    }

    /** The defaults of every setting, with the recordings root given. */
    static MonitorConfig defaults(Path recordingsRoot) {
        return new MonitorConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 80, Duration.ofSeconds(120),
                Duration.ofMinutes(10), Duration.ofMinutes(60), 32L * 1024 * 1024, 10, recordingsRoot, 10);
    }

    MonitorConfig withInterval(Duration d) {
        return new MonitorConfig(d, cameraOffline, temperatureLimitCelsius, diskLowDelay, diskTrend, leakWindow,
                leakMemoryBytes, leakThreads, recordingsRoot, minFreePercent);
    }

    MonitorConfig withDisk(Path root, int minFree, Duration lowDelay, Duration trend) {
        return new MonitorConfig(interval, cameraOffline, temperatureLimitCelsius, lowDelay, trend, leakWindow,
                leakMemoryBytes, leakThreads, root, minFree);
    }

    MonitorConfig withLeak(Duration window, long memoryBytes, int threads) {
        return new MonitorConfig(interval, cameraOffline, temperatureLimitCelsius, diskLowDelay, diskTrend, window,
                memoryBytes, threads, recordingsRoot, minFreePercent);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
