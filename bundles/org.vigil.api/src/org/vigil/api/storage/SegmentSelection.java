package org.vigil.api.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import org.vigil.api.camera.CameraId;

/**
 * Segments of some cameras that overlap a time range: every segment with {@code start < to} and {@code end > from}.
 * Nothing recorded inside the range is left out, so a segment reaching over an edge is included whole.
 *
 * @param cameras the cameras; empty means every camera
 */
public record SegmentSelection(Set<String> cameras, Instant from, Instant to) {

    public SegmentSelection {
        cameras = Set.copyOf(Objects.requireNonNull(cameras, "cameras"));
        cameras.forEach(CameraId::require);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("The start of the time range (" + from + ") must be before its end ("
                    + to + ").");
        }
    }

    public static SegmentSelection of(String cameraId, Instant from, Instant to) {
        return new SegmentSelection(Set.of(cameraId), from, to);
    }

    public static SegmentSelection allCameras(Instant from, Instant to) {
        return new SegmentSelection(Set.of(), from, to);
    }
}
