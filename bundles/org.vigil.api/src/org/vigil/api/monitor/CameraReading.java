package org.vigil.api.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.vigil.api.camera.CameraState;

/**
 * One camera, from its recorder's statistics at the time of the readings.
 *
 * @param lastFrameAge     how long ago the newest frame arrived; empty when none arrived
 * @param newestSegmentAge how long ago the newest segment ended; empty when none was written
 */
public record CameraReading(String cameraId, CameraState state, Instant since, double fps, long bitrateBps,
        long frames, long bytes, Optional<Duration> lastFrameAge, long reconnects, Optional<String> lastError,
        Optional<Duration> newestSegmentAge, Duration segmentLength) {
    public CameraReading {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(segmentLength, "segmentLength");
        lastFrameAge = Objects.requireNonNullElse(lastFrameAge, Optional.empty());
        lastError = Objects.requireNonNullElse(lastError, Optional.empty());
        newestSegmentAge = Objects.requireNonNullElse(newestSegmentAge, Optional.empty());
    }
}
