package org.vigil.storage.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How durations and times are written for users (byte counts: {@code org.vigil.api.command.Bytes}). */
public final class Format {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Format() {
    }

    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400 * 2) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    public static String time(Instant t, ZoneId zone) {
        return LOCAL.format(t.atZone(zone));
    }

    public static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f %%", p);
    }
}
