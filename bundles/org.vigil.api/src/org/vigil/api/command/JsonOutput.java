package org.vigil.api.command;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code --json} output of every command: pretty-printed with two spaces, no HTML escaping (URLs and paths stay
 * readable), built from plain maps and lists. Conventions:
 * <ul>
 * <li>Fields in the map's own order ({@code LinkedHashMap}, {@code SortedMap}); a map without an order of its own
 * ({@code HashMap}, {@code Map.of}) is written with its keys sorted, so the same data always reads the same.</li>
 * <li>{@code null} and an empty {@link Optional} are written as {@code null}: a field is there even when it has no
 * value.</li>
 * <li>An {@link Instant} is ISO-8601 in UTC ({@code "2026-11-26T09:00:00Z"}); a {@link Duration} is its whole
 * milliseconds (name the field {@code ..._ms}); a {@link Path} is its text; an enum constant its name in lower
 * case.</li>
 * <li>Whole numbers as they are; a {@code double} as Java writes it, one that is not finite as {@code null}; round a
 * measured figure with {@link #round(double, int)} first.</li>
 * <li>Lists, sets and arrays as arrays; anything else as its {@code toString()} text.</li>
 * </ul>
 *
 * @since 1.3
 */
public final class JsonOutput {
    private JsonOutput() {
    }

    /** {@code value} as pretty-printed JSON, without a trailing line break. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.toString();
    }

    /** {@code value} rounded half up to {@code decimals} places, for figures such as frame rates; null if not finite. */
    public static Double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return null;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? v.toString() : "null");
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Instant || v instanceof Path) {
            string(b, v.toString());
        } else if (v instanceof Duration d) {
            b.append(d.toMillis());
        } else if (v instanceof Enum<?> e) {
            string(b, e.name().toLowerCase(Locale.ROOT));
        } else if (v instanceof Map<?, ?> m) {
            object(b, m, indent);
        } else if (v instanceof Iterable<?> i) {
            List<Object> items = new ArrayList<>();
            i.forEach(items::add);
            array(b, items, indent);
        } else if (v instanceof Object[] a) {
            array(b, Arrays.asList(a), indent);
        } else {
            string(b, v.toString());
        }
    }

    private static void object(StringBuilder b, Map<?, ?> m, int indent) {
        if (m.isEmpty()) {
            b.append("{}");
            return;
        }
        Map<?, ?> ordered = m;
        if (!(m instanceof LinkedHashMap<?, ?> || m instanceof SortedMap<?, ?>)) {
            Map<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            ordered = sorted;
        }
        b.append("{\n");
        Iterator<? extends Map.Entry<?, ?>> it = ordered.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            pad(b, indent + 1);
            string(b, String.valueOf(e.getKey()));
            b.append(": ");
            write(b, e.getValue(), indent + 1);
            b.append(it.hasNext() ? ",\n" : "\n");
        }
        pad(b, indent);
        b.append('}');
    }

    private static void array(StringBuilder b, List<?> l, int indent) {
        if (l.isEmpty()) {
            b.append("[]");
            return;
        }
        b.append("[\n");
        for (int i = 0; i < l.size(); i++) {
            pad(b, indent + 1);
            write(b, l.get(i), indent + 1);
            b.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        pad(b, indent);
        b.append(']');
    }

    private static void pad(StringBuilder b, int indent) {
        b.append("  ".repeat(indent));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\u2028', '\u2029' -> b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
