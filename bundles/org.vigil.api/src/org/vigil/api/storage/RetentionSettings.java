package org.vigil.api.storage;

import java.time.Duration;

/**
 * Retention for the whole recordings volume.
 *
 * @param minFreePercent    below this much free space the oldest recordings are deleted ...
 * @param hysteresisPercent ... until free space is this many points above the minimum
 * @param emergencyWindow   emergency mode when less than this much recording time (at the current total bit rate)
 *                          fits in the free space
 * @param reserveBytes      recording pauses when less than this is free and nothing can be deleted
 * @param period            how often retention runs when nothing urges it
 */
public record RetentionSettings(double minFreePercent, double hysteresisPercent, Duration emergencyWindow,
        long reserveBytes, Duration period) {
}
