package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.TimeArgs;

/** The one command-line time grammar (org.vigil.api.command.TimeArgs) that every command uses. */
class TimeArgsTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void everyFormMeansWhatTheHelpSays() throws Exception {
        Map<String, Instant> expect = new LinkedHashMap<>();
        expect.put("2026-11-26T10:00", Instant.parse("2026-11-26T09:00:00Z"));
        expect.put("2026-11-26 10:00:30", Instant.parse("2026-11-26T09:00:30Z"));
        expect.put(" 2026-11-26 ", Instant.parse("2026-11-25T23:00:00Z"));
        expect.put("2026-11-26T10:00Z", Instant.parse("2026-11-26T10:00:00Z"));
        expect.put("2026-11-26T10:00+05:00", Instant.parse("2026-11-26T05:00:00Z"));
        expect.put("-2h", Instant.parse("2026-11-26T10:00:00Z"));
        expect.put("-30m", Instant.parse("2026-11-26T11:30:00Z"));
        expect.put("-1d", Instant.parse("2026-11-25T12:00:00Z"));
        expect.put("-1d12h", Instant.parse("2026-11-25T00:00:00Z"));
        expect.put("-1w", Instant.parse("2026-11-19T12:00:00Z"));
        expect.put("-90s", Instant.parse("2026-11-26T11:58:30Z"));
        expect.put("+10m", Instant.parse("2026-11-26T12:10:00Z"));
        expect.put("NOW", NOW);
        expect.put("now", NOW);
        expect.put("today", Instant.parse("2026-11-25T23:00:00Z"));
        expect.put("yesterday", Instant.parse("2026-11-24T23:00:00Z"));
        for (var e : expect.entrySet()) {
            assertEquals(e.getValue(), TimeArgs.parse("from", e.getKey(), NOW, ZONE), e.getKey());
            assertEquals(e.getValue(), TimeArgs.parse(e.getKey(), NOW, ZONE), e.getKey());
        }
    }

    @Test
    void aDayIsTheDayTheTimeFallsOn() throws Exception {
        assertEquals(LocalDate.of(2026, 11, 26), TimeArgs.day("day", "2026-11-26", NOW, ZONE));
        assertEquals(LocalDate.of(2026, 11, 26), TimeArgs.day("day", "today", NOW, ZONE));
        assertEquals(LocalDate.of(2026, 11, 25), TimeArgs.day("day", "yesterday", NOW, ZONE));
        assertEquals(LocalDate.of(2026, 11, 23), TimeArgs.day("day", "-3d", NOW, ZONE));
        CommandException e = assertThrows(CommandException.class, () -> TimeArgs.day("day", "Tuesday", NOW, ZONE));
        assertTrue(e.getMessage().startsWith("The time 'Tuesday' given to --day is not understood"), e.getMessage());
    }

    @Test
    void aTimeNotUnderstoodIsOneSentenceShowingTheForms() {
        for (String bad : List.of("2h ago", "last tuesday", "2026-13-45", "2026-11-26T25:00", "-2x", "-h", "", "--2h",
                "2026/11/26")) {
            CommandException e = assertThrows(CommandException.class, () -> TimeArgs.parse("to", bad, NOW, ZONE),
                    bad);
            assertEquals(CommandException.USAGE, e.exitCode());
            assertEquals("The time '" + bad.strip() + "' given to --to is not understood; use 2026-11-26T10:00,"
                    + " 2026-11-26, -2h, -30m, -1d, now, today or yesterday.", e.getMessage());
        }
        CommandException e = assertThrows(CommandException.class, () -> TimeArgs.parse("soon", NOW, ZONE));
        assertTrue(e.getMessage().startsWith("The time 'soon' is not understood; use 2026-11-26T10:00"),
                e.getMessage());
    }

    @Test
    void absurdValuesAreOneSentenceNotANumberFormatError() {
        for (String bad : List.of("-9999999999999999999999h", "+9999999999999999999999h", "-99999999999d",
                "-9223372036854775807w", "-9223372036854775807s1s", "+1000000000d", "1200-01-01", "+99999-01-01T00:00",
                "10000-01-01")) {
            CommandException e = assertThrows(CommandException.class, () -> TimeArgs.parse("from", bad, NOW, ZONE),
                    bad);
            assertEquals(CommandException.USAGE, e.exitCode());
            String m = e.getMessage();
            assertTrue(m.startsWith("The time '" + bad + "' given to --from "), m);
            assertTrue(m.contains("-2h") && m.endsWith("."), "the sentence shows the forms: " + m);
            assertFalse(m.contains("input string") || m.contains("Exception") || m.contains("overflow"), m);
        }
        CommandException d = assertThrows(CommandException.class, () -> TimeArgs.duration("9999999999999999999999d"));
        assertTrue(d.getMessage().startsWith("The duration '9999999999999999999999d' is too long"), d.getMessage());
    }

    @Test
    void durationsAndSizes() throws Exception {
        assertEquals(Duration.ofDays(30), TimeArgs.duration("30d"));
        assertEquals(Duration.ofDays(9), TimeArgs.duration("1w2d"));
        assertEquals(Duration.ofMinutes(90), TimeArgs.duration("90m"));
        assertThrows(CommandException.class, () -> TimeArgs.duration("a month"));
        assertEquals(500_000_000_000L, TimeArgs.size("500G"), "decimal, as sizes are shown");
        assertEquals(3_000_000_000_000L, TimeArgs.size("3TB"));
        assertEquals(500L << 30, TimeArgs.size("500GiB"), "binary with an i");
        assertEquals(750L << 20, TimeArgs.size("750 MiB"));
    }
}
