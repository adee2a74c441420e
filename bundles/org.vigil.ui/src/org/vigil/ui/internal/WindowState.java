package org.vigil.ui.internal;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workbench window's remembered place, size, maximized state and view, as kept in the {@code ui} settings
 * ({@code windowGeometry} as {@code WIDTHxHEIGHT+X+Y}, {@code windowMaximized}, {@code lastView}).
 */
record WindowState(Optional<Bounds> bounds, boolean maximized, String lastView) {
    /** The smallest window that is still usable, and how much of it must be on some screen. */
    static final int MIN_WIDTH = 400;
    static final int MIN_HEIGHT = 300;
    static final int MIN_VISIBLE = 100;
    private static final Pattern GEOMETRY = Pattern.compile("(-?\\d{1,5})x(-?\\d{1,5})([+-]\\d{1,5})([+-]\\d{1,5})");

    static final WindowState NONE = new WindowState(Optional.empty(), false, "");

    /** A rectangle on the screen, in pixels. */
    record Bounds(int x, int y, int width, int height) {
        String geometry() {
            return width + "x" + height + (x < 0 ? "-" : "+") + Math.abs(x) + (y < 0 ? "-" : "+") + Math.abs(y);
        }

        /** Big enough to use, and at least {@link #MIN_VISIBLE} pixels of it squared on one of the screens. */
        boolean usableOn(List<Bounds> screens) {
            if (width < MIN_WIDTH || height < MIN_HEIGHT) {
                return false;
            }
            for (Bounds s : screens) {
                int w = Math.min(x + width, s.x + s.width) - Math.max(x, s.x);
                int h = Math.min(y + height, s.y + s.height) - Math.max(y, s.y);
                if (w >= MIN_VISIBLE && h >= MIN_VISIBLE) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Parses {@code WIDTHxHEIGHT+X+Y}; empty for an empty or malformed text. */
    static Optional<Bounds> parseGeometry(String text) {
        Matcher m = GEOMETRY.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Bounds(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }

    /** The stored values of the {@code ui} section (keys without defaults may be missing). */
    static WindowState of(java.util.Map<String, Object> section) {
        String geometry = String.valueOf(section.getOrDefault("windowGeometry", ""));
        Object max = section.getOrDefault("windowMaximized", Boolean.FALSE);
        boolean maximized = max instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(max));
        return new WindowState(parseGeometry(geometry), maximized,
                String.valueOf(section.getOrDefault("lastView", "")));
    }
}
