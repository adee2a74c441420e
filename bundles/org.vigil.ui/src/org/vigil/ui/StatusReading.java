package org.vigil.ui;

import java.util.Objects;

/**
 * What a {@link StatusSource} shows now.
 *
 * @param text    a few words ("CPU 12 % · memory 41 %")
 * @param detail  the tooltip: more words, may be empty
 * @param level   how the text is coloured
 */
public record StatusReading(String text, String detail, Level level) {
    /** How urgent a reading is. */
    public enum Level {
        NORMAL, GOOD, WARNING, PROBLEM
    }

    public StatusReading {
        Objects.requireNonNull(text, "text");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(level, "level");
    }

    public static StatusReading of(String text) {
        return new StatusReading(text, "", Level.NORMAL);
    }
}
