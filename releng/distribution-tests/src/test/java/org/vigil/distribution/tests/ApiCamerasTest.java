package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: the cameras and settings over HTTPS, as a script would use them with curl against the real
 * recorder (the demo camera on 127.0.0.1): list, add, change and remove a camera; status of the camera that records;
 * a JPEG snapshot of its live picture; a connection test; settings read and changed; bad input refused with one
 * sentence; a viewer refused (403) what an admin may do. The answers carry the fields of the commands' --json output.
 */
class ApiCamerasTest {
    static final String ADMIN = "alice";
    static final String VIEWER = "victor";
    static final String OPERATOR = "olga";
    static final String PASSWORD = "pw12345678xx";

    static Recorder recorder;

    @BeforeAll
    static void start() throws Exception {
        recorder = Recorder.start("api-cameras", true);
        recorder.user(VIEWER, "viewer");
        recorder.user(OPERATOR, "operator");
    }

    @AfterAll
    static void stop() throws Exception {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void aCameraIsListedAddedChangedAndRemovedWithItsPasswordNeverShown() throws Exception {
        Curl list = recorder.curl(ADMIN, "GET", "/api/cameras", null);
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains("\"id\": \"demo\""), list.body());

        Curl added = recorder.curl(ADMIN, "POST", "/api/cameras", "{\"id\": \"side\", \"url\":"
                + " \"rtsp://admin:Sup3rSecret@127.0.0.1:9/side\", \"name\": \"Side door\", \"record\": false}");
        assertEquals(201, added.status(), added.body());
        assertTrue(added.body().contains("\"url\": \"rtsp://admin:***@127.0.0.1:9/side\""), added.body());
        assertTrue(added.body().contains("\"record\": false"), added.body());
        assertFalse(recorder.curl(ADMIN, "GET", "/api/cameras", null).body().contains("Sup3rSecret"));

        Curl changed = recorder.curl(ADMIN, "PATCH", "/api/cameras/side", "{\"name\": \"Garden\", \"watchdog\": 7}");
        assertEquals(200, changed.status(), changed.body());
        // the command line sees what the API changed, in the same fields
        Vigil.Result show = recorder.vigil("--json", "camera", "show", "side");
        assertEquals(0, show.exit(), show.all());
        assertTrue(show.out().contains("\"name\": \"Garden\"") && show.out().contains("\"watchdogSeconds\": 7"),
                show.out());
        Curl one = recorder.curl(VIEWER, "GET", "/api/cameras/side", null);
        assertEquals(200, one.status(), one.body());
        assertEquals(show.out().strip(), one.body().strip(), "the API answers what 'camera show --json' prints");

        Curl removed = recorder.curl(ADMIN, "DELETE", "/api/cameras/side", null);
        assertEquals(204, removed.status(), removed.body());
        Curl gone = recorder.curl(ADMIN, "GET", "/api/cameras/side", null);
        assertEquals(404, gone.status(), gone.body());
        assertOneSentence(gone, "There is no camera 'side'");

        Vigil.Result audit = recorder.vigil("audit");
        assertEquals(0, audit.exit(), audit.all());
        for (String action : List.of("camera.add", "camera.change", "camera.remove")) {
            assertTrue(audit.out().lines().anyMatch(l -> l.contains(action) && l.contains(ADMIN) && l.contains("side")),
                    action + " by " + ADMIN + " in: " + audit.out());
        }
        assertFalse(audit.out().contains("Sup3rSecret"), "no password in the audit log: " + audit.out());
    }

    @Test
    void badInputIsRefusedWithOneSentenceAndNothingChanges() throws Exception {
        assertOneSentence(expect(400, recorder.curl(ADMIN, "POST", "/api/cameras",
                "{\"id\": \"web\", \"url\": \"http://127.0.0.1/x\"}")), "rtsp://");
        assertOneSentence(expect(400, recorder.curl(ADMIN, "POST", "/api/cameras", "{\"id\": \"web\", \"url\": ")),
                "not valid JSON");
        assertOneSentence(expect(400, recorder.curl(ADMIN, "POST", "/api/cameras",
                "{\"id\": \"Bad Id!\", \"url\": \"rtsp://127.0.0.1:9/x\"}")), "is not a camera id");
        assertOneSentence(expect(400, recorder.curl(ADMIN, "PATCH", "/api/cameras/demo", "{\"colour\": \"red\"}")),
                "Unknown camera setting 'colour'");
        assertOneSentence(expect(400, recorder.curl(ADMIN, "PATCH", "/api/cameras/demo", "{\"id\": \"other\"}")),
                "cannot be changed");
        assertOneSentence(expect(409, recorder.curl(ADMIN, "POST", "/api/cameras",
                "{\"id\": \"demo\", \"url\": \"rtsp://127.0.0.1:9/x\"}")), "already exists");
        assertOneSentence(expect(404, recorder.curl(ADMIN, "DELETE", "/api/cameras/nosuch", null)), "no camera");
        assertOneSentence(expect(400, recorder.curl(ADMIN, "GET", "/api/cameras/Bad%20Id/status", null)),
                "is not a camera id");
        assertOneSentence(expect(404, recorder.curl(ADMIN, "GET", "/api/cameras/demo/other", null)),
                "There is no endpoint at /api/cameras/demo/other");
        // the same sentence as 'vigil config set' gives
        Curl bad = expect(400, recorder.curl(ADMIN, "PATCH", "/api/settings/retention",
                "{\"minFreeDiskPercent\": 95}"));
        Vigil.Result cli = recorder.vigil("config", "set", "retention.minFreeDiskPercent=95");
        assertEquals(1, cli.exit(), cli.all());
        assertOneSentence(bad, "The setting retention.minFreeDiskPercent must be a whole percentage from 0 to 90");
        assertTrue(cli.err().contains("The setting retention.minFreeDiskPercent must be a whole percentage from 0"
                + " to 90"), cli.err());
        assertOneSentence(expect(400, recorder.curl(ADMIN, "PATCH", "/api/settings", "{\"retention\": 5}")),
                "as an object");
        assertOneSentence(expect(404, recorder.curl(ADMIN, "GET", "/api/settings/colours", null)),
                "Unknown settings section 'colours'");
        Curl demo = recorder.curl(ADMIN, "GET", "/api/cameras/demo", null);
        assertEquals(200, demo.status(), demo.body());
        assertTrue(demo.body().contains("\"id\": \"demo\""), demo.body());
    }

    @Test
    void aViewerReadsButMayNotChangeAnythingAnOperatorMayTestAUrl() throws Exception {
        assertEquals(200, recorder.curl(VIEWER, "GET", "/api/settings", null).status());
        assertOneSentence(expect(403, recorder.curl(VIEWER, "PATCH", "/api/settings/ui", "{\"gridLayout\": \"2x2\"}")),
                "needs the role admin");
        assertOneSentence(expect(403, recorder.curl(OPERATOR, "POST", "/api/cameras",
                "{\"id\": \"x\", \"url\": \"rtsp://127.0.0.1:9/x\"}")), "needs the role admin");
        assertOneSentence(expect(403, recorder.curl(VIEWER, "DELETE", "/api/cameras/demo", null)), "needs the role");
        assertOneSentence(expect(403, recorder.curl(VIEWER, "POST", "/api/cameras/test",
                "{\"url\": \"rtsp://127.0.0.1:9/x\"}")), "needs the role operator");
        assertEquals(401, recorder.curl(null, "GET", "/api/cameras", null).status());
        assertTrue(recorder.vigil("--json", "camera", "list").out().contains("\"demo\""), "the demo camera is kept");
    }

    @Test
    void settingsAreReadAndChangedAsTheCommandLineDoes() throws Exception {
        Curl all = recorder.curl(VIEWER, "GET", "/api/settings", null);
        assertEquals(200, all.status(), all.body());
        for (String section : List.of("recording", "retention", "backup", "ui", "api")) {
            assertTrue(all.body().contains("\"" + section + "\": {"), all.body());
        }
        Curl changed = recorder.curl(ADMIN, "PATCH", "/api/settings", "{\"ui\": {\"gridLayout\": \"3x2\"}}");
        assertEquals(200, changed.status(), changed.body());
        assertTrue(changed.body().contains("\"changed\": true") && changed.body().contains("\"gridLayout\": \"3x2\""),
                changed.body());
        Vigil.Result cli = recorder.vigil("--json", "config", "get", "ui");
        assertEquals(0, cli.exit(), cli.all());
        assertTrue(cli.out().contains("\"gridLayout\": \"3x2\""), cli.out());
        Curl section = recorder.curl(VIEWER, "GET", "/api/settings/ui", null);
        assertEquals(cli.out().strip(), section.body().strip(), "the API answers what 'config get ui --json' prints");
        Curl reset = recorder.curl(ADMIN, "PATCH", "/api/settings/ui", "{\"gridLayout\": null}");
        assertEquals(200, reset.status(), reset.body());
        assertTrue(reset.body().contains("\"gridLayout\": \"auto\""), reset.body());
        assertTrue(recorder.vigil("audit").out().contains("settings.change"), "the change is in the audit log");
    }

    @Test
    void theRecordingCameraHasAStatusAndALiveSnapshotThatIsAJpeg() throws Exception {
        String state = recorder.await("the demo camera records", Duration.ofSeconds(120), () -> {
            Curl s = recorder.curl(VIEWER, "GET", "/api/cameras/demo/status", null);
            return s.status() == 200 && s.body().contains("\"state\": \"RECORDING\"") ? s.body() : null;
        });
        assertTrue(state.contains("\"id\": \"demo\"") && state.contains("\"fps\": "), state);
        Curl all = recorder.curl(VIEWER, "GET", "/api/cameras/status", null);
        assertEquals(200, all.status(), all.body());
        assertTrue(all.body().contains("\"id\": \"demo\""), all.body());
        assertOneSentence(expect(404, recorder.curl(VIEWER, "GET", "/api/cameras/nosuch/status", null)),
                "no camera 'nosuch'");

        Path jpeg = recorder.dir.resolve("snapshot.jpg");
        Curl snap = recorder.curlToFile(VIEWER, "/api/cameras/demo/snapshot.jpg?width=640&height=360", jpeg);
        assertEquals(200, snap.status(), snap.body());
        byte[] bytes = Files.readAllBytes(jpeg);
        assertTrue(bytes.length > 2000 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8,
                "a JPEG of " + bytes.length + " bytes");
        Vigil.Result probe = exec("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", jpeg.toString());
        assertEquals("mjpeg,640,360", probe.out().strip(), probe.all());
    }

    @Test
    void aConnectionTestSaysWhetherAUrlCanBeRecorded() throws Exception {
        String demoUrl = recorder.demoUrl();
        Curl good = recorder.curl(OPERATOR, "POST", "/api/cameras/test", "{\"url\": \"" + demoUrl
                + "\", \"timeout\": 30}");
        assertEquals(200, good.status(), good.body());
        assertTrue(good.body().contains("\"recordable\": true") && good.body().contains("\"codec\": \"h264\""),
                good.body());
        try (java.net.ServerSocket held = new java.net.ServerSocket()) {
            // a bound port that does not listen: nothing accepts connections there
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            Curl refused = recorder.curl(ADMIN, "POST", "/api/cameras/test", "{\"url\": \"rtsp://127.0.0.1:"
                    + held.getLocalPort() + "/x\", \"timeout\": 10}");
            assertEquals(200, refused.status(), refused.body());
            assertTrue(refused.body().contains("\"recordable\": false") && refused.body().contains("\"failure\": \""),
                    refused.body());
        }
        assertOneSentence(expect(400, recorder.curl(OPERATOR, "POST", "/api/cameras/test", "{\"url\": \"ftp://x\"}")),
                "");
    }

    static Curl expect(int status, Curl c) {
        assertEquals(status, c.status(), c.body());
        return c;
    }

    /** A JSON error: one sentence containing {@code text}, no stack trace. */
    static void assertOneSentence(Curl c, String text) {
        assertTrue(c.body().startsWith("{\"error\": \"") || c.body().startsWith("{\n  \"error\": \""), c.body());
        assertTrue(c.body().contains(text), c.body());
        assertFalse(c.body().contains("\tat ") || c.body().contains(".java:"),
                "no stack trace: " + c.body());
        assertTrue(c.body().contains("\"status\": " + c.status()), c.body());
    }

    static Vigil.Result exec(String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("exec", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within 120 s");
            }
            return new Vigil.Result(p.exitValue(), Files.readString(out), "");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What curl got: the status and the body (or, for a file download, nothing). */
    record Curl(int status, String body) {
    }

    /**
     * A recorder started with {@code bin/vigil run --headless} on its own data directory, its API on a free port
     * ({@code api.port=0}, read back from {@code vigil api status --json}) and an admin user; optionally the demo
     * camera. Stopped with SIGTERM by {@link #close()}.
     */
    static final class Recorder implements AutoCloseable {
        static final Duration READY = Duration.ofSeconds(180);

        final Path dir;
        final Path data;
        final Process process;
        final String url;
        final Path log;

        private Recorder(Path dir, Path data, Process process, String url, Path log) {
            this.dir = dir;
            this.data = data;
            this.process = process;
            this.url = url;
            this.log = log;
        }

        static Recorder start(String name, boolean demo) throws Exception {
            Path dir = Files.createTempDirectory("vigil-" + name);
            Path data = dir.resolve("data");
            Vigil.Result set = Vigil.run("config", "set", "api.port=0", "api.rtspPort=0", "--data", data.toString());
            assertEquals(0, set.exit(), set.all());
            Vigil.Result user = Vigil.run(Duration.ofSeconds(90), PASSWORD + "\n", "user", "add", ADMIN, "--role",
                    "admin", "--password-stdin", "--data", data.toString());
            assertEquals(0, user.exit(), user.all());
            Path log = dir.resolve("recorder.out");
            List<String> args = new ArrayList<>(List.of("run", "--headless", "--data", data.toString()));
            if (demo) {
                args.add("--demo");
            }
            Process p = Vigil.start(log, args.toArray(String[]::new));
            try {
                assertTrue(Vigil.waitUntil(READY, () -> Vigil.read(log).contains(" is ready in ") || !p.isAlive()),
                        "not ready: " + Vigil.read(log));
                assertTrue(p.isAlive(), Vigil.read(log));
                Pattern https = Pattern.compile("\"(https://127\\.0\\.0\\.1:\\d+)/");
                String[] found = new String[1];
                assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> {
                    try {
                        Vigil.Result st = Vigil.run("api", "status", "--json", "--data", data.toString());
                        Matcher m = https.matcher(st.out());
                        if (m.find()) {
                            found[0] = m.group(1);
                        }
                        return found[0] != null;
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                }), "the API does not listen: " + Vigil.read(log));
                return new Recorder(dir, data, p, found[0], log);
            } catch (Throwable t) {
                Vigil.sigterm(p);
                p.waitFor(60, TimeUnit.SECONDS);
                throw t;
            }
        }

        void user(String name, String role) throws Exception {
            Vigil.Result r = vigilWithInput(PASSWORD + "\n", "user", "add", name, "--role", role, "--password-stdin");
            assertEquals(0, r.exit(), r.all());
        }

        Vigil.Result vigil(String... args) throws IOException, InterruptedException {
            return vigilWithInput(null, args);
        }

        Vigil.Result vigilWithInput(String stdin, String... args) throws IOException, InterruptedException {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--data");
            all.add(data.toString());
            return Vigil.run(Duration.ofSeconds(90), stdin, all.toArray(String[]::new));
        }

        /** The demo camera's URL, as the recorder has it configured. */
        String demoUrl() throws Exception {
            Vigil.Result list = vigil("--json", "camera", "show", "demo");
            Matcher m = Pattern.compile("\"url\": \"(rtsp://[^\"]+)\"").matcher(list.out());
            assertTrue(m.find(), list.all());
            return m.group(1);
        }

        /** {@code curl -k} as {@code user} (no credentials when null), the body given on standard input. */
        Curl curl(String user, String method, String path, String body) throws Exception {
            Path out = Files.createTempFile(dir, "curl", ".out");
            try {
                List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "60", "-X", method,
                        "-o", out.toString(), "-w", "%{http_code}"));
                if (user != null) {
                    cmd.addAll(List.of("-u", user + ":" + PASSWORD));
                }
                if (body != null) {
                    cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
                }
                cmd.add("--path-as-is");
                cmd.add(url + path);
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (body != null) {
                    p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl did not finish");
                return new Curl(code.isEmpty() ? 0 : Integer.parseInt(code), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        }

        /** {@code curl -k} GET into {@code file}; the body is empty unless the answer is not 200. */
        Curl curlToFile(String user, String path, Path file) throws Exception {
            Process p = new ProcessBuilder("curl", "-sS", "-k", "--max-time", "60", "-u", user + ":" + PASSWORD, "-o",
                    file.toString(), "-w", "%{http_code}", url + path).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl did not finish");
            int status = code.isEmpty() ? 0 : Integer.parseInt(code);
            return new Curl(status, status == 200 ? "" : Files.readString(file, StandardCharsets.ISO_8859_1));
        }

        /** The content type of a GET answer. */
        String contentType(String user, String path) throws Exception {
            Process p = new ProcessBuilder("curl", "-sS", "-k", "--max-time", "60", "-u", user + ":" + PASSWORD, "-o",
                    "/dev/null", "-w", "%{content_type}", url + path).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String type = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl did not finish");
            return type;
        }

        interface Probe<T> {
            T get() throws Exception;
        }

        /** Waits until {@code probe} answers non-null, at most {@code timeout}; fails naming {@code what}. */
        <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                T v = probe.get();
                if (v != null) {
                    return v;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; recorder log: "
                            + Vigil.read(log));
                }
                Thread.sleep(200);
            }
        }

        /** Stops the recorder (SIGTERM, then by force after 60 s) and deletes its folder. */
        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                Vigil.sigterm(process);
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
