package org.vigil.playback.internal.cli;

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

import org.vigil.api.command.CommandException;

/**
 * Times on the command line, with the grammar of {@code vigil recordings}: ISO-8601 local ({@code 2026-11-26T10:00},
 * {@code 2026-11-26 10:00:30.5}), a date ({@code 2026-11-26}, its midnight), with an offset ({@code ...+01:00},
 * {@code ...Z}), relative to now ({@code -2h}, {@code -30m}, {@code -1d12h}, {@code -90s}, {@code +10m}), {@code now},
 * {@code today}, {@code yesterday}.
 */
final class TimeArgs {
    private static final Pattern RELATIVE = Pattern.compile("([+-])((?:\\d+[wdhms])+)");
    private static final Pattern PART = Pattern.compile("(\\d+)([wdhms])");

    private TimeArgs() {
    }

    static Instant parse(String option, String text, Instant now, ZoneId zone) throws CommandException {
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
            Duration d = Duration.ZERO;
            Matcher p = PART.matcher(m.group(2));
            while (p.find()) {
                long n = Long.parseLong(p.group(1));
                d = d.plus(switch (p.group(2)) {
                    case "w" -> Duration.ofDays(7 * n);
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
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
            throw CommandException.usage("The time '" + text + "' given to --" + option + " is not understood; use"
                    + " 2026-11-26T10:00, 2026-11-26, -2h, -30m, now, today or yesterday.");
        }
    }
}
