package org.vigil.api.command;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line: ISO-8601 local ({@code 2026-11-26T10:00}, {@code 2026-11-26 10:00:30}), a date
 * ({@code 2026-11-26}, its midnight), with an offset ({@code 2026-11-26T10:00+01:00}, {@code ...Z}), relative to now
 * ({@code -2h}, {@code -30m}, {@code -1d12h}, {@code -1w}, {@code +10m}), {@code now}, {@code today},
 * {@code yesterday} (their midnights). Durations and sizes for limits too. Every command taking a time
 * ({@code --from}, {@code --to}, {@code --at}, {@code --day}) parses it here, so the user learns it once: a date
 * always means its midnight, also as the end of a range ({@code --from yesterday --to today} is yesterday).
 * A time that is not understood, or is out of range, is one sentence that shows the accepted forms.
 */
public final class TimeArgs {
    private static final Pattern RELATIVE = Pattern.compile("([+-])((?:\\d+[wdhms])+)");
    private static final Pattern PART = Pattern.compile("(\\d+)([wdhms])");
    /** The accepted forms, for the sentences. */
    static final String FORMS = "2026-11-26T10:00, 2026-11-26, -2h, -30m, -1d, now, today or yesterday";
    /** Times before or after these are refused: no recording is that old, and Instant arithmetic stays in range. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private TimeArgs() {
    }

    /**
     * A time given to option {@code --option}; the error names the option.
     *
     * @throws CommandException (usage) with one sentence when the text is not a time
     */
    public static Instant parse(String option, String text, Instant now, ZoneId zone) throws CommandException {
        return instant("--" + option + " ", text, now, zone);
    }

    /**
     * A time in the grammar above, local times in {@code zone}, relative ones from {@code now}.
     *
     * @throws CommandException (usage) with one sentence when the text is not a time
     */
    public static Instant parse(String text, Instant now, ZoneId zone) throws CommandException {
        return instant("", text, now, zone);
    }

    /**
     * The day a time given to {@code --option} falls on ({@code 2026-11-26}, {@code today}, {@code yesterday},
     * {@code -3d}, or a time of that day), in {@code zone}.
     *
     * @throws CommandException (usage) with one sentence when the text is not a time
     */
    public static LocalDate day(String option, String text, Instant now, ZoneId zone) throws CommandException {
        return LocalDate.ofInstant(parse(option, text, now, zone), zone);
    }

    private static Instant instant(String given, String text, Instant now, ZoneId zone) throws CommandException {
        Instant t = parseOrNull(text, now, zone, given);
        if (t == null) {
            throw CommandException.usage("The time '" + text.strip() + "' " + (given.isEmpty() ? "" : "given to "
                    + given) + "is not understood; use " + FORMS + ".");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw outOfRange(given, text);
        }
        return t;
    }

    private static CommandException outOfRange(String given, String text) {
        return CommandException.usage("The time '" + text.strip() + "' " + (given.isEmpty() ? "" : "given to "
                + given) + "is outside the years 1970 to 9999; use " + FORMS + ".");
    }

    /** The time, or null when the text is in none of the forms. */
    private static Instant parseOrNull(String text, Instant now, ZoneId zone, String given) throws CommandException {
        String t = text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "now":
                return now;
            case "today":
                return LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
            case "yesterday":
                return LocalDate.ofInstant(now, zone).minusDays(1).atStartOfDay(zone).toInstant();
            default:
                break;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            try {
                Duration d = durationOrNull(m.group(2));
                if (d == null) {
                    throw outOfRange(given, text);
                }
                return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
            } catch (ArithmeticException | DateTimeException e) {
                throw outOfRange(given, text);
            }
        }
        String iso = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeException e) {
            // no offset: local time
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            // a date alone?
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 1w2d}: a duration for limits such as a maximum age. */
    public static Duration duration(String text) throws CommandException {
        Matcher whole = Pattern.compile("(?:\\d+[wdhms])+").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!whole.matches()) {
            throw CommandException.usage("The duration '" + text + "' is not understood; use for example 30d, 12h,"
                    + " 1w or 90m.");
        }
        Duration d = durationOrNull(whole.group());
        if (d == null) {
            throw CommandException.usage("The duration '" + text + "' is too long; use for example 30d, 12h, 1w or"
                    + " 90m.");
        }
        return d;
    }

    /** The sum of parts such as {@code 1d12h}, or null when it does not fit a {@link Duration}. */
    private static Duration durationOrNull(String parts) {
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(parts);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            return null; // more digits than a long, or more seconds than a Duration holds
        }
        return d;
    }

    /**
     * {@code 500G}, {@code 20GB}, {@code 750M}, {@code 1T}, a plain number of bytes: decimal, as every size is shown
     * ({@link Bytes}: 1 GB = 1,000,000,000 bytes); with an {@code i} the binary units ({@code 500GiB} = 500 x 2^30).
     */
    public static long size(String text) throws CommandException {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgtp])(i)?)?b?").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CommandException.usage("The size '" + text + "' is not understood; use for example 500G, 750M or 2T"
                    + " (decimal: 1G = 1000M), or 500GiB for binary units.");
        }
        double v = Double.parseDouble(m.group(1));
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2)) + 1;
        double unit = m.group(3) != null ? Math.pow(1024, power) : Math.pow(1000, power);
        double bytes = v * unit;
        if (bytes >= Long.MAX_VALUE) {
            throw CommandException.usage("The size '" + text + "' is too large; give at most 9000P.");
        }
        return (long) bytes;
    }
}
