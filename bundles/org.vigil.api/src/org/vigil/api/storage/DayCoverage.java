package org.vigil.api.storage;

import java.time.Duration;
import java.time.LocalDate;

/**
 * A day (in the catalog's time zone) that has recordings, summed over the cameras asked for.
 *
 * @param recorded total duration of its segments (by their start day)
 */
public record DayCoverage(LocalDate day, long segments, long bytes, Duration recorded) {
}
