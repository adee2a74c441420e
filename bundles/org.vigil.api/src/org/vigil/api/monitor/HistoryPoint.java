package org.vigil.api.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.vigil.api.camera.CameraState;

/**
 * One minute of readings, for charts: averages of the minute's readings unless said otherwise.
 *
 * @param minute             the start of the minute
 * @param samples            how many readings the minute holds
 * @param temperatureCelsius the highest temperature of the minute
 * @param diskFreeBytes      the lowest free space of the minute, per recordings volume (its path)
 * @param rssBytes           Vigil's resident memory; {@code threads} and {@code openFiles} its threads and files
 * @param cameras            per camera id
 */
public record HistoryPoint(Instant minute, int samples, double cpuPercent, long memoryUsedBytes, double load1,
        Optional<Double> temperatureCelsius, Map<String, Long> diskFreeBytes, long rssBytes, long heapUsedBytes,
        double threads, double openFiles, Map<String, Camera> cameras) {

    /**
     * @param state the camera's state at the end of the minute
     * @param online the fraction of the minute's readings in which the camera received frames, 0 to 1
     */
    public record Camera(CameraState state, double fps, long bitrateBps, double online) {
    }

    public HistoryPoint {
        Objects.requireNonNull(minute, "minute");
        temperatureCelsius = Objects.requireNonNullElse(temperatureCelsius, Optional.empty());
        diskFreeBytes = Map.copyOf(diskFreeBytes);
        cameras = Map.copyOf(cameras);
    }
}
