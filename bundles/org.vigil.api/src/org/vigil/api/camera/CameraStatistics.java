package org.vigil.api.camera;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one camera's recorder, as {@link CameraStatisticsSource} reports it to the system monitor.
 *
 * @param cameraId         the camera's id ({@link CameraId})
 * @param state            the recorder's state now
 * @param since            when the camera entered {@code state}
 * @param fps              frames per second received, averaged over the last few seconds (0 when none arrive)
 * @param bitrateBps       bits per second received, averaged over the last few seconds
 * @param frames           frames received since the recorder started (a counter that only grows)
 * @param bytes            bytes received since the recorder started (a counter that only grows)
 * @param lastFrame        when the newest frame arrived; empty when none arrived since the recorder started
 * @param reconnects       how many times the recorder reconnected since it started (a counter that only grows)
 * @param lastError        the newest problem, one sentence for a user (the reason of OFFLINE or RECONNECTING)
 * @param newestSegmentEnd when the newest segment written for this camera ended (or, for the segment being
 *                         written, the time of its newest written data); empty when none was written since start
 * @param segmentLength    the camera's configured segment length
 */
public record CameraStatistics(String cameraId, CameraState state, Instant since, double fps, long bitrateBps,
        long frames, long bytes, Optional<Instant> lastFrame, long reconnects, Optional<String> lastError,
        Optional<Instant> newestSegmentEnd, Duration segmentLength) {

    public CameraStatistics {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        lastFrame = Objects.requireNonNullElse(lastFrame, Optional.empty());
        lastError = Objects.requireNonNullElse(lastError, Optional.<String>empty()).filter(s -> !s.isBlank());
        newestSegmentEnd = Objects.requireNonNullElse(newestSegmentEnd, Optional.empty());
        segmentLength = Objects.requireNonNullElse(segmentLength, CameraConfig.DEFAULT_SEGMENT);
        if (!Double.isFinite(fps) || fps < 0) {
            fps = 0;
        }
        bitrateBps = Math.max(0, bitrateBps);
    }

    /** How long ago the newest frame arrived, at {@code now}; empty when no frame arrived. */
    public Optional<Duration> lastFrameAge(Instant now) {
        return lastFrame.map(t -> nonNegative(Duration.between(t, now)));
    }

    /** How long ago the newest segment ended, at {@code now}; empty when no segment was written. */
    public Optional<Duration> newestSegmentAge(Instant now) {
        return newestSegmentEnd.map(t -> nonNegative(Duration.between(t, now)));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
