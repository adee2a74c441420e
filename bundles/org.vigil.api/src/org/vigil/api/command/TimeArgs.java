package org.vigil.api.command;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times on the command line: ISO-8601 local ({@code 2026-11-26T10:00}, {@code 2026-11-26 10:00:30}), a date
 * ({@code 2026-11-26}, its midnight), with an offset ({@code 2026-11-26T10:00+01:00}, {@code ...Z}), relative to now
 * ({@code -2h}, {@code -30m}, {@code -1d12h}, {@code -1w}, {@code +10m}), {@code now}, {@code today},
 * {@code yesterday}. Durations and sizes for limits too. Every command taking a time uses this grammar, so the
 * user learns it once.
 */
public final class TimeArgs {
    private static final Pattern RELATIVE = Pattern.compile("([+-])((?:\\d+[wdhms])+)");
    private static final Pattern PART = Pattern.compile("(\\d+)([wdhms])");

    private TimeArgs() {
    }

    /**
     * A time given to option {@code --option}; the error names the option.
     *
     * @throws CommandException (usage) with one sentence when the text is not a time
     */
    public static Instant parse(String option, String text, Instant now, ZoneId zone) throws CommandException {
        try {
            return parse(text, now, zone);
        } catch (CommandException e) {
            throw CommandException.usage("The time '" + text + "' given to --" + option + " is not understood; use"
                    + " 2026-11-26T10:00, 2026-11-26, -2h, -30m, now, today or yesterday.");
        }
    }

    /**
     * A time in the grammar above, local times in {@code zone}, relative ones from {@code now}.
     *
     * @throws CommandException (usage) with one sentence when the text is not a time
     */
    public static Instant parse(String text, Instant now, ZoneId zone) throws CommandException {
        String t = text.trim().toLowerCase(Locale.ROOT);
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
            Duration d = duration(m.group(2));
            return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
        }
        String iso = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // no offset: local time
        }
        try {
            return LocalDateTime.parse(iso).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // a date alone?
        }
        try {
            return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw CommandException.usage("The time '" + text + "' is not understood; use 2026-11-26T10:00,"
                    + " 2026-11-26, -2h, -30m, -7d, now, today or yesterday.");
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 1w2d}: a duration for limits such as a maximum age. */
    public static Duration duration(String text) throws CommandException {
        Matcher whole = Pattern.compile("(?:\\d+[wdhms])+").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!whole.matches()) {
            throw CommandException.usage("The duration '" + text + "' is not understood; use for example 30d, 12h,"
                    + " 1w or 90m.");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(whole.group());
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            try {
                d = d.plus(switch (m.group(2)) {
                    case "w" -> Duration.ofDays(7 * n);
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            } catch (ArithmeticException | DateTimeException e) {
                throw CommandException.usage("The duration '" + text + "' is too long.");
            }
        }
        return d;
    }

    /** {@code 500G}, {@code 20GB}, {@code 750M}, {@code 1T}, a plain number of bytes. */
    public static long size(String text) throws CommandException {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?").matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CommandException.usage("The size '" + text + "' is not understood; use for example 500G, 750M or 2T.");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (v * (1L << shift));
    }
}
