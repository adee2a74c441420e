package org.vigil.api.command;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Byte counts as every command and view writes them: decimal units as drives are sold (1 kB = 1000 bytes), SI symbols
 * and three significant digits: {@code 999 B}, {@code 1.00 kB}, {@code 8.39 MB}, {@code 16.8 MB}, {@code 980 kB},
 * {@code 1.50 GB}. The one convention is described in {@code docs/STYLE.md}.
 *
 * @since 1.3
 */
public final class Bytes {
    private static final String[] UNITS = { "kB", "MB", "GB", "TB", "PB", "EB" };
    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Bytes() {
    }

    /** {@code bytes} for a person: {@code 0 B}, {@code 999 B}, {@code 1.00 kB}, {@code 1.50 GB}; negatives with a minus. */
    public static String text(long bytes) {
        String sign = bytes < 0 ? "-" : "";
        BigDecimal v = BigDecimal.valueOf(bytes).abs();
        int unit = -1;
        while (unit < UNITS.length - 1 && v.round(THREE_DIGITS).compareTo(THOUSAND) >= 0) {
            v = v.divide(THOUSAND);
            unit++;
        }
        if (unit < 0) {
            return sign + v.toPlainString() + " B";
        }
        v = v.round(THREE_DIGITS);
        int decimals = v.compareTo(BigDecimal.TEN) < 0 ? 2 : v.compareTo(BigDecimal.valueOf(100)) < 0 ? 1 : 0;
        return sign + v.setScale(decimals, RoundingMode.HALF_UP).toPlainString() + " " + UNITS[unit];
    }

    /** A rate such as {@code 85.3 MB/s}; a rate that is not a finite number is written {@code 0 B/s}. */
    public static String rate(double bytesPerSecond) {
        return text(Double.isFinite(bytesPerSecond) ? (long) bytesPerSecond : 0) + "/s";
    }
}
