package org.vigil.ui.backup.internal;

import java.time.Duration;

/** Durations as a user reads them (byte counts: {@code org.vigil.api.command.Bytes}). */
final class Sizes {
    private Sizes() {
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
