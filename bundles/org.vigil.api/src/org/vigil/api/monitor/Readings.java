package org.vigil.api.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One round of readings.
 *
 * @param disks   one per recordings volume (empty when the recordings root cannot be read)
 * @param cameras one per camera the recorders report, ordered by id (empty when no recorder runs)
 */
public record Readings(Instant time, HostReading host, List<DiskReading> disks, ProcessReading process,
        List<CameraReading> cameras) {
    public Readings {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(process, "process");
        disks = List.copyOf(disks);
        cameras = List.copyOf(cameras);
    }

    public Optional<CameraReading> camera(String cameraId) {
        return cameras.stream().filter(c -> c.cameraId().equals(cameraId)).findFirst();
    }
}
