package org.vigil.backup.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import org.vigil.api.command.CommandException;

/**
 * Times on the command line: {@code 2025-03-01T14:30:00Z} or with an offset, {@code 2025-03-01T14:30} or
 * {@code "2025-03-01 14:30"} in local time, a date {@code 2025-03-01} (its start; as the end of a range, the whole
 * day is included), {@code now}, {@code today}, {@code yesterday}.
 */
final class TimeArgument {
    private TimeArgument() {
    }

    static Instant parse(String option, String text, boolean endOfRange, ZoneId zone, Instant now)
            throws CommandException {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        LocalDate today = LocalDate.ofInstant(now, zone);
        try {
            switch (lower) {
                case "now":
                    return now;
                case "today":
                    return day(today, endOfRange, zone);
                case "yesterday":
                    return day(today.minusDays(1), endOfRange, zone);
                default:
                    break;
            }
            if (t.length() == 10) {
                return day(LocalDate.parse(t), endOfRange, zone);
            }
            String iso = t.replace(' ', 'T');
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException notOffset) {
                return LocalDateTime.parse(iso).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            throw CommandException.usage("The time '" + text + "' of --" + option + " is not understood; write it as"
                    + " 2025-03-01, '2025-03-01 14:30', 2025-03-01T14:30:00Z, today or yesterday.");
        }
    }

    private static Instant day(LocalDate d, boolean endOfRange, ZoneId zone) {
        return (endOfRange ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
    }
}
