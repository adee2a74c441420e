package org.vigil.api.monitor;

import java.util.Objects;
import java.util.Optional;

/**
 * The volume holding a recordings root.
 *
 * @param path                  the recordings root
 * @param totalBytes            size of the volume
 * @param freeBytes             bytes Vigil may still write (usable space)
 * @param minFreePercent        the retention floor: retention deletes the oldest recordings below it
 * @param freeTrendBytesPerHour change of free space over the trend window, negative while the disk fills; empty
 *                              until the window is covered
 */
public record DiskReading(String path, long totalBytes, long freeBytes, int minFreePercent,
        Optional<Double> freeTrendBytesPerHour) {
    public DiskReading {
        Objects.requireNonNull(path, "path");
        freeTrendBytesPerHour = Objects.requireNonNullElse(freeTrendBytesPerHour, Optional.empty());
    }

    public long usedBytes() {
        return Math.max(0, totalBytes - freeBytes);
    }

    /** Free space in percent of the volume, 0 when the size is unknown. */
    public double freePercent() {
        return totalBytes <= 0 ? 0 : 100.0 * freeBytes / totalBytes;
    }

    /** True when less than the retention floor is free. */
    public boolean belowFloor() {
        return totalBytes > 0 && freePercent() < minFreePercent;
    }
}
