package org.vigil.backup.internal;

import java.time.Duration;
import java.util.Locale;

/** Durations and file counts the way people read them: 2:05, 1 file (byte counts: {@code Bytes}). */
final class Units {
    private Units() {
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
