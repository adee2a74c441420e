package org.vigil.playback.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Wall-clock instants as nanoseconds since the epoch (what the pipelines count in), and times for messages. */
final class Times {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DATE_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** {@code 10:42:07}, with the date in front when {@code t} is not on the same day as {@code reference}. */
    static String clock(Instant t, Instant reference, ZoneId zone) {
        boolean sameDay = t.atZone(zone).toLocalDate().equals(reference.atZone(zone).toLocalDate());
        return (sameDay ? CLOCK : DATE_CLOCK).format(t.atZone(zone));
    }

    static String clock(Instant t, ZoneId zone) {
        return DATE_CLOCK.format(t.atZone(zone));
    }
}
