package org.vigil.api.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Retention limits of one camera: recordings older than {@code maxAge} go, and the oldest go while the camera holds
 * more than {@code maxBytes}. Protected segments stay regardless (and count towards the bytes).
 */
public record CameraLimits(Optional<Duration> maxAge, OptionalLong maxBytes) {
    public static final CameraLimits NONE = new CameraLimits(Optional.empty(), OptionalLong.empty());

    public CameraLimits {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(maxBytes, "maxBytes");
        if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
            throw new IllegalArgumentException("A maximum age must be positive.");
        }
        if (maxBytes.isPresent() && maxBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("A maximum size must be positive.");
        }
    }

    public boolean isNone() {
        return maxAge.isEmpty() && maxBytes.isEmpty();
    }
}
