package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/** The {@code vigil recordings} and {@code vigil storage} commands as the CLI runs them (the DS services). */
class CommandsTest {
    @InjectService(timeout = 10000)
    StorageService storage;
    @InjectService(timeout = 10000)
    SegmentListener listener;
    @InjectService(timeout = 10000)
    Retention retention;
    @InjectService(timeout = 10000)
    RecordingCatalog catalog;
    @InjectBundleContext
    BundleContext context;

    final String cam1 = TestDirs.camera("cmd1");
    final String cam2 = TestDirs.camera("cmd2");
    final String cam3 = TestDirs.camera("cmd3");
    VigilCommand recordings;
    VigilCommand storageCommand;

    @BeforeEach
    void find() throws Exception {
        Collection<ServiceReference<VigilCommand>> refs = context.getServiceReferences(VigilCommand.class, null);
        for (ServiceReference<VigilCommand> r : refs) {
            VigilCommand c = context.getService(r);
            if (c.name().equals("recordings")) {
                recordings = c;
            } else if (c.name().equals("storage")) {
                storageCommand = c;
            }
        }
        assertTrue(recordings != null && storageCommand != null, "both commands are registered");
        assertTrue(Await.until(Duration.ofSeconds(20), () -> storage.status().canRecord()));
    }

    private Invocation run(VigilCommand c, String... args) throws CommandException {
        Invocation inv = new Invocation(false, args);
        assertEquals(0, c.execute(inv), inv.err.toString());
        return inv;
    }

    private void record(String camera, Instant start, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Instant s = start.plusSeconds(4L * i);
            SegmentReservation r = storage.reserveSegment(camera, s, Container.MP4);
            Files.copy(Media.get(Media.FRAGMENTED), r.path());
            listener.segmentClosed(new ClosedSegment(camera, r.path(), s, s.plusSeconds(4), 100, Files.size(r.path()),
                    Codec.H264));
        }
    }

    @Test
    void listDaysProtectAndDeleteFromTheCommandLine() throws Exception {
        Instant t = Instant.now().minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.SECONDS);
        record(cam1, t, 3);
        assertTrue(Await.until(Duration.ofSeconds(10), () -> {
            try {
                return run(recordings, "list", "--camera", cam1, "--from", "-2h").output().contains(cam1 + "/");
            } catch (CommandException e) {
                return false;
            }
        }));
        Invocation json = new Invocation(true, "list", "--camera", cam1, "--from", "-2h");
        assertEquals(0, recordings.execute(json));
        JsonObject page = JsonParser.parseString(json.output()).getAsJsonObject();
        assertEquals(3, page.getAsJsonArray("segments").size());
        assertEquals(t.toString(), page.getAsJsonArray("segments").get(0).getAsJsonObject().get("start")
                .getAsString());
        assertTrue(page.get("next").isJsonNull());

        String two = run(recordings, "list", "--camera", cam1, "--from", "-2h", "--limit", "2").output();
        assertTrue(two.contains("More: add --after "), two);
        String cursor = two.substring(two.indexOf("--after ") + 8).trim();
        String rest = run(recordings, "list", "--camera", cam1, "--from", "-2h", "--limit", "2", "--after", cursor)
                .output();
        assertEquals(1, rest.lines().filter(l -> l.contains(cam1 + "/")).count(), rest);

        String days = run(recordings, "days", "--camera", cam1).output();
        assertTrue(days.contains(LocalDate.ofInstant(t, ZoneId.systemDefault()).toString()), days);
        String hours = run(recordings, "hours", "--camera", cam1, "--from", "-2h", "--to", "now").output();
        assertTrue(hours.contains("gaps"), hours);
        // --day reads the same times as --from: a date, or any time of that day
        LocalDate day = LocalDate.ofInstant(t, ZoneId.systemDefault());
        String byDate = run(recordings, "hours", "--camera", cam1, "--day", day.toString()).output();
        String hourOfT = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00")
                .format(t.atZone(ZoneId.systemDefault()));
        assertTrue(byDate.contains(hourOfT), hourOfT + " in " + byDate);
        assertEquals(byDate, run(recordings, "hours", "--camera", cam1, "--day", "-90m").output());

        assertTrue(run(recordings, "protect", "--camera", cam1, "--from", "-2h", "--to", "now").output()
                .contains("Protected 3 segments"));
        String dry = run(recordings, "delete", "--camera", cam1, "--from", "-2h", "--to", "now", "--dry-run").output();
        assertTrue(dry.contains("0 segments") && dry.contains("3 protected segments would be kept"), dry);
        run(recordings, "unprotect", "--camera", cam1, "--from", "-2h", "--to", "now");
        String dry2 = run(recordings, "delete", "--camera", cam1, "--from", "-2h", "--to", "now", "--dry-run")
                .output();
        assertEquals(3, dry2.lines().filter(l -> l.startsWith("would delete " + cam1 + "/")).count(), dry2);
        String deleted = run(recordings, "delete", "--camera", cam1, "--from", "-2h", "--to", "now").output();
        assertTrue(deleted.startsWith("Deleted 3 segments"), deleted);
        assertTrue(run(recordings, "list", "--camera", cam1, "--from", "-2h").output().contains("No recordings"));
    }

    @Test
    void storageStatusCheckAndRetention() throws Exception {
        String status = run(storageCommand, "status").output();
        assertTrue(status.contains("Recordings root: " + storage.recordingsRoot()), status);
        assertTrue(status.contains("State: READY") || status.contains("(recording can write)"), status);
        Invocation json = new Invocation(true, "status");
        assertEquals(0, storageCommand.execute(json));
        JsonObject s = JsonParser.parseString(json.output()).getAsJsonObject();
        assertTrue(s.get("can_record").getAsBoolean());
        assertTrue(s.get("free_bytes").getAsLong() > 0);

        run(storageCommand, "check", "--repair");
        String check = run(storageCommand, "check").output();
        assertTrue(check.contains("Checked (no changes made)"), check);

        record(cam2, Instant.now().minusSeconds(120), 1); // a camera the catalog knows
        assertTrue(Await.until(Duration.ofSeconds(20), () -> catalog.cameras().contains(cam2)), "catalogued");
        run(storageCommand, "retention", "--camera", cam2, "--max-age", "14d", "--max-size", "500G");
        var limits = retention.cameraLimits().get(cam2);
        assertEquals(Duration.ofDays(14), limits.maxAge().orElseThrow());
        assertEquals(500_000_000_000L, limits.maxBytes().getAsLong());
        // --max-size 500G is shown as given: the size grammar is decimal like the one byte convention
        assertTrue(run(storageCommand, "retention").output().contains(cam2 + ": keep 14d00h, at most 500 GB"));
        run(storageCommand, "retention", "--camera", cam2, "--clear");
        assertTrue(!retention.cameraLimits().containsKey(cam2));
    }

    @Test
    void importCataloguesAnOldTree() throws Exception {
        Path old = TestDirs.fresh("old-tree");
        Path day = Files.createDirectories(old.resolve(cam3 + "/20250301"));
        Files.copy(Media.get(Media.PLAIN), day.resolve("101500.mp4"));
        String out = run(storageCommand, "import", old.toString()).output();
        assertTrue(out.contains("1 catalogued"), out);
        String again = run(storageCommand, "import", old.toString()).output();
        assertTrue(again.contains("0 catalogued") && again.contains("already in the recordings"), again);
        TestDirs.deleteTree(old);
    }

    @Test
    void mistakesGetOneSentenceAndTheUsageExitCode() {
        for (List<String> bad : List.of(List.of("delete", "--camera", cam1, "--to", "now"),
                List.of("list", "--from", "last tuesday"), List.of("list", "--camera", "../etc"),
                List.of("delete", "--from", "-1h", "--to", "now"), List.of("frobnicate"),
                List.of("list", "--limit", "0"), List.of("delete", "--camera", "x", "--from", "now", "--to", "-1h"),
                List.of("list", "--from", "-9999999999999999999999h"),
                List.of("hours", "--camera", cam1, "--day", "someday"))) {
            CommandException e = assertThrows(CommandException.class,
                    () -> recordings.execute(new Invocation(false, bad.toArray(String[]::new))), bad.toString());
            assertEquals(CommandException.USAGE, e.exitCode(), bad.toString());
            assertTrue(e.getMessage().endsWith(".") && !e.getMessage().contains("Exception")
                    && !e.getMessage().contains("input string"), e.getMessage());
        }
        assertThrows(CommandException.class, () -> storageCommand.execute(new Invocation(false, "adopt")));
        // retention for a camera nobody knows, and an age no one means
        CommandException unknown = assertThrows(CommandException.class, () -> storageCommand.execute(new Invocation(
                false, "retention", "--camera", "no-such-camera-" + cam1, "--max-age", "7d")));
        assertTrue(unknown.getMessage().contains("is not configured and has no recordings"), unknown.getMessage());
        assertTrue(!retention.cameraLimits().containsKey("no-such-camera-" + cam1), "nothing was set");
        CommandException ages = assertThrows(CommandException.class, () -> storageCommand.execute(new Invocation(
                false, "retention", "--camera", cam1, "--max-age", "99999999d")));
        assertEquals(CommandException.USAGE, ages.exitCode());
        assertTrue(ages.getMessage().contains("more than 100 years"), ages.getMessage());
    }

    @Test
    void timesAreLocalIsoOrRelative() throws Exception {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        Map<String, Instant> expect = Map.of(
                "2026-11-26T10:00", Instant.parse("2026-11-26T09:00:00Z"),
                "2026-11-26 10:00:30", Instant.parse("2026-11-26T09:00:30Z"),
                "2026-11-26", Instant.parse("2026-11-25T23:00:00Z"),
                "2026-11-26T10:00Z", Instant.parse("2026-11-26T10:00:00Z"),
                "-2h", Instant.parse("2026-11-26T10:00:00Z"),
                "-1d12h", Instant.parse("2026-11-25T00:00:00Z"),
                "+10m", Instant.parse("2026-11-26T12:10:00Z"),
                "now", now,
                "today", Instant.parse("2026-11-25T23:00:00Z"),
                "yesterday", Instant.parse("2026-11-24T23:00:00Z"));
        for (var e : expect.entrySet()) {
            assertEquals(e.getValue(), TimeArgs.parse(e.getKey(), now, zone), e.getKey());
        }
        assertThrows(CommandException.class, () -> TimeArgs.parse("2h ago", now, zone));
        assertEquals(Duration.ofDays(30), TimeArgs.duration("30d"));
        assertEquals(500_000_000_000L, TimeArgs.size("500G"));
        assertEquals(3L << 40, TimeArgs.size("3TiB"));
    }
}
