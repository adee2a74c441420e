package org.vigil.api.storage;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Retention: deletes the oldest unprotected recordings by each camera's age and size limits, and across cameras
 * when free space runs low (down to the minimum, then up to the minimum plus the hysteresis). It runs on the shared
 * scheduler periodically, whenever space runs low, and in emergency mode every few seconds. It never deletes a
 * segment being written or a protected one.
 */
@ProviderType
public interface Retention {
    RetentionSettings settings();

    /** Per-camera limits that are set. */
    Map<String, CameraLimits> cameraLimits();

    /** Sets (or with {@link CameraLimits#NONE} clears) a camera's limits; kept in the catalog. */
    void setCameraLimits(String cameraId, CameraLimits limits);

    /** Runs retention now (on the scheduler); completes with what it did. */
    CompletionStage<RetentionReport> runNow();

    Optional<RetentionReport> lastRun();
}
