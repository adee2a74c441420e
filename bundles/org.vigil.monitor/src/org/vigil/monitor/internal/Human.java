package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers as a person reads them in alerts and in {@code vigil status}: 4 min 10 s, 12:04:31 (bytes: Bytes). */
final class Human {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Human() {
    }

    static String bitrate(long bps) {
        if (bps < 1000) {
            return bps + " bit/s";
        }
        if (bps < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f kbit/s", bps / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f Mbit/s", bps / 1_000_000.0);
    }

    /** 45 s, 4 min 10 s, 3 h 5 min, 2 d 4 h. */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86400) {
            return (s / 3600) + " h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + " min");
        }
        return (s / 86400) + " d" + (s % 86400 / 3600 == 0 ? "" : " " + (s % 86400 / 3600) + " h");
    }

    /** 1.5 s below ten seconds, else as {@link #duration(Duration)}. */
    static String age(Duration d) {
        if (d.toMillis() < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        return duration(d);
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, p < 10 ? "%.1f %%" : "%.0f %%", p);
    }

    static String celsius(double c) {
        return String.format(Locale.ROOT, "%.1f °C", c);
    }

    /** The time of day in this machine's zone, with the date when it is not today. */
    static String time(Instant t, Instant now) {
        ZoneId zone = ZoneId.systemDefault();
        boolean today = t.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate());
        return (today ? TIME : DATE_TIME).format(t.atZone(zone));
    }
}
