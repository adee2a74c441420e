package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Issue 14 item 2, the recordings over HTTPS (curl against a real recorder with 354 real recordings of one camera
 * and a one-minute gap): keyset pages walk every segment exactly once, days, hours and gaps answer what
 * {@code vigil recordings ... --json} answers, a dry run deletes nothing, protection survives a deletion, roles are
 * checked, and hostile or absurd input gets one JSON sentence with the right status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiRecordingsTest {
    /** An hour of ten-second files; 10:30:00 to 10:31:00 (indexes 180 to 185) left out: a one-minute gap. */
    private static final int FILES = 360;
    private static final Set<Integer> GAP = Set.of(180, 181, 182, 183, 184, 185);
    private static final String ALL_DAY = "from=2025-02-28T00:00:00Z&to=2025-03-03T00:00:00Z";

    private ApiRecordingsFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new ApiRecordingsFixture("api-recordings", FILES, GAP);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void pagesWalkEverySegmentExactlyOnce() throws Exception {
        List<Long> walked = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            ApiRecordingsFixture.Answer a = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings?camera=cam1&"
                    + ALL_DAY + "&limit=50" + (after == null ? "" : "&after=" + after));
            assertEquals(200, a.status(), a.body());
            JsonObject page = a.json();
            JsonArray items = page.getAsJsonArray("items");
            assertTrue(items.size() <= 50, "a page holds at most its limit: " + items.size());
            for (JsonElement e : items) {
                walked.add(e.getAsJsonObject().get("id").getAsLong());
            }
            after = page.get("next").isJsonNull() ? null : page.get("next").getAsString();
            pages++;
            assertTrue(pages < 100, "the pages do not end");
        } while (after != null);
        assertEquals(walked.size(), new HashSet<>(walked).size(), "no segment twice: " + walked);
        assertEquals(FILES - GAP.size(), walked.size(), "every segment");
        assertTrue(pages >= 8, "several pages: " + pages);

        JsonObject cli = f.cli("recordings", "list", "--camera", "cam1", "--from", "2025-02-28T00:00:00Z", "--to",
                "2025-03-03T00:00:00Z", "--limit", "1000");
        List<Long> listed = new ArrayList<>();
        for (JsonElement e : cli.getAsJsonArray("segments")) {
            listed.add(e.getAsJsonObject().get("id").getAsLong());
        }
        assertEquals(listed, walked, "the same segments in the same order as 'vigil recordings list'");
        // the fields are the command's
        ApiRecordingsFixture.Answer one = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings?camera=cam1&limit=1&"
                + ALL_DAY);
        assertEquals(cli.getAsJsonArray("segments").get(0), one.json().getAsJsonArray("items").get(0));
    }

    @Test
    void daysHoursAndGapsAnswerWhatTheCommandsAnswer() throws Exception {
        ApiRecordingsFixture.Answer days = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings/days?camera=cam1");
        assertEquals(200, days.status(), days.body());
        assertEquals(f.cli("recordings", "days", "--camera", "cam1"), days.json());
        assertEquals(ApiRecordingsFixture.DAY, days.json().getAsJsonArray("days").get(0).getAsJsonObject().get("day")
                .getAsString());

        ApiRecordingsFixture.Answer hours = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings/hours?camera=cam1&day="
                + ApiRecordingsFixture.DAY);
        assertEquals(200, hours.status(), hours.body());
        JsonObject cliHours = f.cli("recordings", "hours", "--camera", "cam1", "--day", ApiRecordingsFixture.DAY);
        assertEquals(cliHours, hours.json());

        String dayStart = cliHours.getAsJsonArray("hours").get(0).getAsJsonObject().get("start").getAsString();
        String dayEnd = cliHours.getAsJsonArray("hours").get(23).getAsJsonObject().get("end").getAsString();
        ApiRecordingsFixture.Answer gaps = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings/gaps?camera=cam1&from="
                + dayStart + "&to=" + dayEnd);
        assertEquals(200, gaps.status(), gaps.body());
        // the hours' gaps, joined where one runs over an hour's edge
        List<Instant[]> expected = new ArrayList<>();
        for (JsonElement h : cliHours.getAsJsonArray("hours")) {
            for (JsonElement g : h.getAsJsonObject().getAsJsonArray("gaps")) {
                Instant s = Instant.parse(g.getAsJsonObject().get("start").getAsString());
                Instant e = Instant.parse(g.getAsJsonObject().get("end").getAsString());
                if (!expected.isEmpty() && !expected.get(expected.size() - 1)[1].isBefore(s)) {
                    expected.get(expected.size() - 1)[1] = e;
                } else {
                    expected.add(new Instant[] { s, e });
                }
            }
        }
        JsonArray answered = gaps.json().getAsJsonArray("gaps");
        assertEquals(expected.size(), answered.size(), gaps.body());
        boolean minute = false;
        for (int i = 0; i < expected.size(); i++) {
            JsonObject g = answered.get(i).getAsJsonObject();
            assertEquals(expected.get(i)[0].toString(), g.get("start").getAsString());
            assertEquals(expected.get(i)[1].toString(), g.get("end").getAsString());
            minute |= Duration.between(expected.get(i)[0], expected.get(i)[1]).equals(Duration.ofMinutes(1));
        }
        assertTrue(minute, "the one-minute gap at 10:30 is there: " + gaps.body());
    }

    @Test
    void aDryRunDeletesNothingAndOnlyAnAdminDeletes() throws Exception {
        String range = "camera=cam1&from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z";
        for (String user : List.of(ApiRecordingsFixture.VIEWER, ApiRecordingsFixture.OPERATOR)) {
            ApiRecordingsFixture.Answer refused = f.curl(user, "DELETE", "/api/recordings?" + range, null);
            assertEquals(403, refused.status(), refused.body());
            assertTrue(refused.json().get("error").getAsString().contains("admin"), refused.body());
        }
        int before = count();
        ApiRecordingsFixture.Answer dry = f.curl(ApiRecordingsFixture.ADMIN, "DELETE", "/api/recordings?" + range
                + "&dryRun=true", null);
        assertEquals(200, dry.status(), dry.body());
        JsonObject report = dry.json();
        assertTrue(report.get("dry_run").getAsBoolean(), dry.body());
        assertEquals(before, report.get("segments").getAsInt(), dry.body());
        assertTrue(report.getAsJsonArray("listed").size() > 0, dry.body());
        assertEquals(before, count(), "the dry run deleted nothing");
        String firstPath = report.getAsJsonArray("listed").get(0).getAsJsonObject().get("path").getAsString();
        assertTrue(Files.isRegularFile(Path.of(firstPath)), "the file is still there: " + firstPath);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last (the others have the default order): it deletes recordings the others count
    void protectionSurvivesADeletion() throws Exception {
        // the last five minutes of the hour: 10:55 to 11:00 local, found through the catalog
        JsonArray all = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings?camera=cam1&newestFirst=true&limit=30&"
                + ALL_DAY).json().getAsJsonArray("items");
        JsonObject newest = all.get(0).getAsJsonObject();
        JsonObject kept = all.get(5).getAsJsonObject(); // protected
        // inside that one segment only (its neighbours end where it starts, and start where it ends)
        Instant keptStart = Instant.parse(kept.get("start").getAsString());
        String keptRange = "camera=cam1&from=" + keptStart.plusMillis(1) + "&to=" + keptStart.plusMillis(2);
        ApiRecordingsFixture.Answer viewer = f.curl(ApiRecordingsFixture.VIEWER, "POST", "/api/recordings/protect?"
                + keptRange, null);
        assertEquals(403, viewer.status(), viewer.body());
        ApiRecordingsFixture.Answer protect = f.curl(ApiRecordingsFixture.OPERATOR, "POST",
                "/api/recordings/protect?" + keptRange, null);
        assertEquals(200, protect.status(), protect.body());
        assertEquals(1, protect.json().get("protected").getAsInt(), protect.body());

        // the newest ten segments
        String range = "camera=cam1&from=" + Instant.parse(all.get(9).getAsJsonObject().get("start").getAsString())
                .plusMillis(1) + "&to=" + newest.get("end").getAsString();
        ApiRecordingsFixture.Answer started = f.curl(ApiRecordingsFixture.ADMIN, "DELETE", "/api/recordings?" + range,
                null);
        assertEquals(202, started.status(), started.body());
        String job = started.json().get("job").getAsString();
        JsonObject done = f.awaitJob(ApiRecordingsFixture.ADMIN, job, Duration.ofSeconds(120));
        assertEquals("succeeded", done.get("state").getAsString(), done.toString());
        JsonObject result = done.getAsJsonObject("result");
        assertEquals(9, result.get("segments").getAsInt(), done.toString());
        assertEquals(1, result.get("protected_kept").getAsInt(), done.toString());

        JsonArray left = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings?" + range).json().getAsJsonArray("items");
        assertEquals(1, left.size(), left.toString());
        assertEquals(kept.get("id"), left.get(0).getAsJsonObject().get("id"));
        assertTrue(left.get(0).getAsJsonObject().get("protected").getAsBoolean());
        assertTrue(Files.isRegularFile(Path.of(kept.get("path").getAsString())));
        assertFalse(Files.exists(Path.of(newest.get("path").getAsString())), "the unprotected files are gone");
        assertTrue(f.audited(ApiRecordingsFixture.OPERATOR, "recordings.protect"), "the protection is audited");
        assertTrue(f.audited(ApiRecordingsFixture.ADMIN, "recordings.delete"), "the deletion is audited");
    }

    @Test
    void storageStatusAndCheck() throws Exception {
        ApiRecordingsFixture.Answer status = f.get(ApiRecordingsFixture.OPERATOR, "/api/storage");
        assertEquals(200, status.status(), status.body());
        JsonObject cli = f.cli("storage", "status");
        assertEquals(cli.keySet(), status.json().keySet(), status.body());
        assertEquals(cli.get("root"), status.json().get("root"));
        assertEquals(403, f.get(ApiRecordingsFixture.VIEWER, "/api/storage").status());

        ApiRecordingsFixture.Answer repair = f.curl(ApiRecordingsFixture.OPERATOR, "POST",
                "/api/storage/check?repair=true", null);
        assertEquals(403, repair.status(), repair.body());
        ApiRecordingsFixture.Answer check = f.curl(ApiRecordingsFixture.OPERATOR, "POST", "/api/storage/check", null);
        assertEquals(202, check.status(), check.body());
        JsonObject done = f.awaitJob(ApiRecordingsFixture.OPERATOR, check.json().get("job").getAsString(),
                Duration.ofSeconds(120));
        assertEquals("succeeded", done.get("state").getAsString(), done.toString());
        assertEquals(ApiRecordingsFixture.OPERATOR, done.get("owner").getAsString());
        JsonObject result = done.getAsJsonObject("result");
        assertNotNull(result, done.toString());
        assertFalse(result.get("problems_found").getAsBoolean(), done.toString());
        assertTrue(result.get("files_seen").getAsInt() > 0, done.toString());
    }

    @Test
    void hostileAndAbsurdInputGetsOneSentence() throws Exception {
        // paths that climb out: refused before any endpoint sees them
        for (String path : List.of("/api/recordings/%2e%2e/%2e%2e/etc/passwd", "/api/recordings/..%2f..%2fetc%2fpasswd",
                "/api/recordings/../../etc/passwd", "/api/recordings/%2e%2e%2f%2e%2e%2fetc%2fpasswd")) {
            ApiRecordingsFixture.Answer a = f.get(ApiRecordingsFixture.VIEWER, path);
            assertTrue(a.status() == 400 || a.status() == 404, path + " answered " + a.status() + ": " + a.body());
            assertFalse(a.body().contains("root:") || a.body().contains("Exception") || a.body().contains(".java:"),
                    path + ": " + a.body());
        }
        String[][] cases = {
            { "/api/recordings/days/x", "404" },
            { "/api/recordings?camera=..%2f..%2fetc", "400" },
            { "/api/recordings?camera=cam1%00", "400" },
            { "/api/recordings?camera=nosuch", "404" },
            { "/api/recordings/hours?camera=nosuch&day=2025-03-01", "404" },
            { "/api/recordings?camera=cam1&from=1969-12-31T00:00:00Z&to=2025-03-01T00:00:00Z", "400" },
            { "/api/recordings?camera=cam1&from=2015-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "400" },
            { "/api/recordings?camera=cam1&from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z", "400" },
            { "/api/recordings?camera=cam1&from=yesterday-ish", "400" },
            { "/api/recordings?camera=cam1&limit=5000", "400" },
            { "/api/recordings?camera=cam1&after=bm90IGEgY3Vyc29y", "400" },
            { "/api/recordings/hours?camera=cam1&day=1999-12-31", "400" },
            { "/api/recordings/hours?camera=cam1&day=2025-13-45", "400" },
            { "/api/recordings/gaps?camera=cam1&from=2015-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", "400" },
            { "/api/recordings/nothing-here", "404" },
        };
        for (String[] c : cases) {
            ApiRecordingsFixture.Answer a = f.get(ApiRecordingsFixture.VIEWER, c[0]);
            assertTrue(String.valueOf(a.status()).matches(c[1]), c[0] + " answered " + a.status() + ": " + a.body());
            assertOneSentence(c[0], a);
        }
        ApiRecordingsFixture.Answer noRange = f.curl(ApiRecordingsFixture.ADMIN, "DELETE", "/api/recordings?camera=cam1",
                null);
        assertEquals(400, noRange.status(), noRange.body());
        assertOneSentence("DELETE without a range", noRange);
        ApiRecordingsFixture.Answer noCamera = f.curl(ApiRecordingsFixture.ADMIN, "DELETE",
                "/api/recordings?from=2025-03-01T00:00:00Z&to=2025-03-02T00:00:00Z", null);
        assertEquals(400, noCamera.status(), noCamera.body());
        assertTrue(noCamera.json().get("error").getAsString().contains("allCameras"), noCamera.body());
        ApiRecordingsFixture.Answer anonymous = f.get(null, "/api/recordings");
        assertEquals(401, anonymous.status(), anonymous.body());
        // the recorder is still answering
        assertEquals(200, f.get(ApiRecordingsFixture.VIEWER, "/api/recordings/days").status());
    }

    private static void assertOneSentence(String what, ApiRecordingsFixture.Answer a) {
        assertTrue(a.contentType().startsWith("application/json"), what + ": " + a.contentType() + " " + a.body());
        String error = a.json().get("error").getAsString();
        assertFalse(error.isBlank(), what);
        assertFalse(a.body().contains("Exception") || a.body().contains("\tat ") || a.body().contains(".java:"),
                what + " shows internals: " + a.body());
        assertTrue(error.endsWith(".") || error.endsWith("?"), what + ": " + error);
    }

    private int count() throws Exception {
        Set<Long> ids = new LinkedHashSet<>();
        JsonObject page = f.get(ApiRecordingsFixture.VIEWER, "/api/recordings?camera=cam1&limit=1000&" + ALL_DAY)
                .json();
        for (JsonElement e : page.getAsJsonArray("items")) {
            ids.add(e.getAsJsonObject().get("id").getAsLong());
        }
        return ids.size();
    }
}
