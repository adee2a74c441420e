package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * Every command against hostile input, through a recorder that records the demo camera (issue 22): each bad input
 * gets one sentence on standard error and a non-zero exit, nothing on standard output, no Java text; the settings and
 * the recordings are unchanged and the recorder goes on recording.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private Path root;
    private Path data;
    private Path log;
    private Process vigil;
    private String cameras;

    @BeforeAll
    void startRecording() throws Exception {
        root = Files.createTempDirectory("vigil-hostile-");
        data = root.resolve("data");
        log = root.resolve("vigil.out");
        Files.writeString(root.resolve("garbage.json"), "{\"cameras\": [ {\"id\": ");
        Files.writeString(root.resolve("sums-garbage"), "not a sum line\n");
        Files.createDirectories(root.resolve("a-folder"));
        Path open = Files.writeString(root.resolve("open.pw"), "secret\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        vigil = Vigil.start(log, "run", "--headless", "--demo", "--data", data.toString());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready: " + Vigil.read(log));
        // 3 s segments instead of the default minute, so that recording is seen to go on
        Vigil.Result set = Vigil.run("camera", "set", "demo", "segment=3", "--data", data.toString());
        assertEquals(0, set.exit(), set.all());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> recordings() >= 1),
                "the demo camera recorded nothing: " + Vigil.read(log));
        cameras = cameraList();
    }

    @AfterAll
    void stop() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.destroyForcibly();
            }
        }
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Each row: a command with a bad input, and a word the sentence must contain (what is wrong). */
    Stream<Arguments> badInputs() {
        String r = "@ROOT@";
        return Stream.of(
                row("hostile camera id", "id", "camera", "add", "../../etc", "rtsp://127.0.0.1:8554/x"),
                row("camera id with an escape", "id", "camera", "add", "cam\u001b[31m", "rtsp://127.0.0.1:8554/x"),
                row("a 10,000-character id", "id", "camera", "add", "c".repeat(10_000), "rtsp://127.0.0.1:8554/x"),
                row("not an RTSP URL", "rtsp", "camera", "add", "cam2", "http://127.0.0.1/x"),
                row("port 0", "port", "camera", "add", "cam2", "rtsp://127.0.0.1:0/x"),
                row("port 65536", "port", "camera", "add", "cam2", "rtsp://127.0.0.1:65536/x"),
                row("a name with a newline", "name", "camera", "set", "demo", "--name", "a\nb"),
                row("an unknown camera", "camera", "camera", "remove", "nobody"),
                row("a world-readable password file", "password file", "camera", "add", "cam2",
                        "rtsp://admin@127.0.0.1:8554/x", "--password-file", r + "/open.pw"),
                row("a huge relative time", "--from", "recordings", "list", "--from",
                        "-9999999999999999999999h"),
                row("a time that is no time", "--from", "recordings", "list", "--from", "yesterday-ish"),
                row("a hostile camera in a query", "camera", "recordings", "list", "--camera", "../../etc"),
                row("an export backwards", "--from", "export", "--camera", "demo", "--from", "now", "--to", "-1h",
                        "--out", r + "/x.mp4"),
                row("an export into a missing folder", "folder", "export", "--camera", "demo", "--from", "-1m",
                        "--to", "now", "--out", r + "/missing/x.mp4"),
                row("an export onto a folder", "folder", "export", "--camera", "demo", "--from", "-1m", "--to",
                        "now", "--out", r + "/a-folder"),
                row("a snapshot at no time", "--at", "snapshot", "--camera", "demo", "--at", "garbage", "--out",
                        r + "/s.jpg"),
                row("retention of an unknown camera", "camera", "storage", "retention", "--camera", "nobody",
                        "--max-age", "1d"),
                row("retention of 99999999 days", "maximum age", "storage", "retention", "--camera", "demo",
                        "--max-age", "99999999d"),
                row("a setting that is no number", "retention", "config", "set",
                        "retention.maxBytesPerCamera=lots"),
                row("an unknown setting", "setting", "config", "set", "no.such.key=1"),
                row("settings from /dev/zero", "", "config", "import", "/dev/zero", "--dry-run"),
                row("settings of broken JSON", "", "config", "import", r + "/garbage.json", "--dry-run"),
                row("verify a missing backup", "", "verify", r + "/no-backup"),
                row("verify an empty folder", "", "verify", r + "/a-folder"),
                row("a backup onto a missing folder", "", "backup", "--dest", r + "/missing", "--camera", "demo",
                        "--from", "-1m", "--to", "now"),
                row("adopt a missing folder", "", "storage", "import", r + "/missing"),
                row("an unknown option", "--turbo", "recordings", "list", "--turbo"));
    }

    private static Arguments row(String what, String mentions, String... args) {
        return Arguments.of(what, mentions, args);
    }

    @org.junit.jupiter.api.Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void aBadInputIsOneSentenceAndChangesNothing(String what, String mentions, String[] template) throws Exception {
        List<String> args = new ArrayList<>();
        for (String a : template) {
            args.add(a.replace("@ROOT@", root.toString()));
        }
        args.add("--data");
        args.add(data.toString());
        int before = recordings();
        Vigil.Result res = Vigil.run(Duration.ofSeconds(90), null, args.toArray(String[]::new));
        assertTrue(res.exit() != 0, what + ": exit " + res.exit() + "\n" + res.all());
        String err = res.err().strip();
        assertFalse(err.isEmpty(), what + ": says why on standard error");
        assertEquals(1, err.lines().count(), what + ": one sentence: " + err);
        assertTrue(err.length() < 600, what + ": a sentence, not a dump (" + err.length() + " chars)");
        for (String java : List.of("Exception", "\tat ", "java.", "For input string", "com.google", "Required array")) {
            assertFalse(err.contains(java), what + ": no Java text (" + java + "): " + err);
        }
        assertFalse(err.contains("\u001b"), what + ": no terminal escape echoed: " + err);
        assertTrue(err.toLowerCase(java.util.Locale.ROOT).contains(mentions.toLowerCase(java.util.Locale.ROOT)),
                what + ": names what is wrong (" + mentions + "): " + err);
        assertEquals("", res.out().strip(), what + ": nothing on standard output");

        assertTrue(vigil.isAlive(), what + ": the recorder is still running: " + Vigil.read(log));
        assertEquals(cameras, cameraList(), what + ": the cameras are unchanged");
        assertTrue(recordings() >= before, what + ": no recording was deleted");
        assertFalse(Files.exists(root.resolve("missing")), what + ": no folder was made for a bad path");
    }

    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Order(2)
    void theRecorderWentOnRecordingThroughAllOfIt() throws Exception {
        int now = recordings();
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> recordings() > now),
                "no new recording after the bad inputs: " + Vigil.read(log));
    }

    private String cameraList() throws Exception {
        Vigil.Result r = Vigil.run("camera", "list", "--json", "--data", data.toString());
        assertEquals(0, r.exit(), r.all());
        return r.out();
    }

    private int recordings() {
        try {
            Vigil.Result r = Vigil.run("recordings", "list", "--json", "--limit", "1000", "--data",
                    data.toString());
            if (r.exit() != 0) {
                return -1;
            }
            JsonArray rows = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("segments");
            return rows.size();
        } catch (Exception e) {
            return -1;
        }
    }
}
