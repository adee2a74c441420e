package org.vigil.config.internal;

import java.io.PrintWriter;
import java.util.List;

/** Plain-text output of commands: aligned tables and key-value lists. */
final class Text {
    private Text() {
    }

    /** Rows (the first is the header) in columns separated by two spaces. */
    static void table(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code key   value} lines. */
    static void pairs(PrintWriter out, List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            out.println(r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
        }
    }
}
