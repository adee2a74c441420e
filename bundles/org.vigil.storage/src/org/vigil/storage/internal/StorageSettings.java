package org.vigil.storage.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

import org.vigil.api.platform.DataDirectory;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.storage.RetentionSettings;

/**
 * Settings of the storage service.
 *
 * @param background run the space monitor, periodic retention and the check at start (not in a one-shot command)
 */
public record StorageSettings(Path root, RetentionSettings retention, Duration monitorPeriod, ZoneId zone,
        boolean background) {

    public StorageSettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(monitorPeriod, "monitorPeriod");
        Objects.requireNonNull(zone, "zone");
    }

    /** Retention defaults: keep 10 % free (+2 points), an hour's emergency window, 256 MiB reserve, every minute. */
    public static RetentionSettings defaultRetention() {
        return new RetentionSettings(10, 2, Duration.ofHours(1), 256L << 20, Duration.ofMinutes(1));
    }

    public StorageSettings withRoot(Path newRoot) {
        return new StorageSettings(newRoot, retention, monitorPeriod, zone, background);
    }

    public StorageSettings withRetention(RetentionSettings r) {
        return new StorageSettings(root, r, monitorPeriod, zone, background);
    }

    static StorageSettings from(Path dataDir, RecordingConfig recording, RetentionConfig retention, VigilMode mode) {
        String configured = recording.recordingsRoot() == null ? "" : recording.recordingsRoot().trim();
        Path root = configured.isEmpty() ? dataDir.resolve("recordings") : Path.of(configured);
        RetentionSettings r = new RetentionSettings(clamp(retention.minFreeDiskPercent(), 0, 90),
                clamp(retention.hysteresisPercent(), 0, 50),
                Duration.ofSeconds(Math.max(0, retention.emergencyWindowSeconds())),
                Math.max(0, retention.reserveMb()) << 20,
                Duration.ofSeconds(Math.max(5, retention.periodSeconds())));
        return new StorageSettings(root.toAbsolutePath().normalize(), r,
                Duration.ofSeconds(Math.max(1, retention.monitorSeconds())), ZoneId.systemDefault(),
                mode != VigilMode.COMMAND && mode != VigilMode.DEMOCAM);
    }

    static StorageSettings from(DataDirectory data, RecordingConfig recording, RetentionConfig retention,
            VigilMode mode) {
        return from(data.root(), recording, retention, mode);
    }

    /** The limits of a camera that has none of its own, from the retention settings. */
    static org.vigil.api.storage.CameraLimits defaultLimits(RetentionConfig retention) {
        return new org.vigil.api.storage.CameraLimits(
                retention.maxAgeDays() > 0 ? java.util.Optional.of(Duration.ofDays(retention.maxAgeDays()))
                        : java.util.Optional.empty(),
                retention.maxBytesPerCamera() > 0 ? java.util.OptionalLong.of(retention.maxBytesPerCamera())
                        : java.util.OptionalLong.empty());
    }

    private static double clamp(double v, double lo, double hi) {
        return Double.isNaN(v) ? lo : Math.max(lo, Math.min(hi, v));
    }
}
