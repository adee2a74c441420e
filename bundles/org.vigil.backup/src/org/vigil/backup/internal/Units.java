package org.vigil.backup.internal;

import java.time.Duration;
import java.util.Locale;

/** Sizes, rates and durations the way people read them: 1.2 GB, 85.3 MB/s, 2:05. Decimal units, as drives are sold. */
final class Units {
    private Units() {
    }

    static String bytes(long b) {
        if (b < 1000) {
            return b + " B";
        }
        String[] units = { "kB", "MB", "GB", "TB", "PB" };
        double v = b;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.2f %s" : v < 100 ? "%.1f %s" : "%.0f %s", v, units[i]);
    }

    static String rate(double bytesPerSecond) {
        return bytes((long) bytesPerSecond) + "/s";
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    static String files(long n) {
        return n == 1 ? "1 file" : n + " files";
    }
}
