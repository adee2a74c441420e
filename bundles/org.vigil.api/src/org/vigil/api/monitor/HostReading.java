package org.vigil.api.monitor;

import java.util.Objects;
import java.util.Optional;

/**
 * The machine Vigil runs on.
 *
 * @param cpuPercent           CPU use of all cores together over the last interval, 0 to 100 (from /proc/stat)
 * @param cpus                 number of CPUs the kernel reports
 * @param memoryTotalBytes     physical memory
 * @param memoryAvailableBytes memory available to new work without swapping ({@code MemAvailable})
 * @param load1                load average over 1 minute; {@code load5}, {@code load15} likewise
 * @param temperatureCelsius   the SoC / CPU temperature, when a thermal zone reports one
 * @param throttling           the firmware's throttling flags, on platforms that report them (Raspberry Pi)
 */
public record HostReading(double cpuPercent, int cpus, long memoryTotalBytes, long memoryAvailableBytes, double load1,
        double load5, double load15, Optional<Double> temperatureCelsius, Optional<Throttling> throttling) {
    public HostReading {
        temperatureCelsius = Objects.requireNonNullElse(temperatureCelsius, Optional.empty());
        throttling = Objects.requireNonNullElse(throttling, Optional.empty());
    }

    public long memoryUsedBytes() {
        return Math.max(0, memoryTotalBytes - memoryAvailableBytes);
    }
}
