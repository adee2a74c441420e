package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A real recorder ({@code bin/vigil run --headless}, {@code api.port=0}) whose catalog holds real recordings: an
 * old-layout tree of ten-second H.264 MP4 files made by gst-launch-1.0 and imported with {@code vigil storage
 * import}, so that the recordings stay the same while a test compares the API's answers with the commands'. Three
 * users (admin, operator, viewer); the API's URL from {@code vigil api status --json}; requests made by real curl.
 */
final class ApiRecordingsFixture implements AutoCloseable {
    static final String PASSWORD = "correct-horse-battery-1";
    static final String ADMIN = "alice";
    static final String OPERATOR = "olga";
    static final String VIEWER = "victor";
    static final String CAMERA = "cam1";
    static final String DAY = "2025-03-01";

    final Path root;
    final Path data;
    final Path log;
    /** {@code https://127.0.0.1:PORT}: request paths start with {@code /api}. */
    final String url;
    private final Process vigil;

    /** One answer: the HTTP status and the body (parsed when it is JSON). */
    record Answer(int status, String body, String contentType) {
        JsonObject json() {
            JsonElement e = JsonParser.parseString(body);
            return e.getAsJsonObject();
        }
    }

    /**
     * Makes {@code files} ten-second recordings of {@link #CAMERA} from {@value #DAY} 10:00 local time, leaving out
     * those whose index is in {@code skipped} (gaps), and starts a recorder with them catalogued.
     */
    ApiRecordingsFixture(String name, int files, Set<Integer> skipped) throws Exception {
        root = Files.createTempDirectory("vigil-" + name + "-");
        data = root.resolve("data");
        log = root.resolve("vigil.out");
        Path media = root.resolve("plain.mp4");
        Process gst = new ProcessBuilder("gst-launch-1.0", "-q", "videotestsrc", "num-buffers=250", "pattern=ball", "!",
                "video/x-raw,framerate=25/1,width=320,height=240", "!", "x264enc", "key-int-max=50",
                "speed-preset=ultrafast", "!", "h264parse", "!", "mp4mux", "!", "filesink",
                "location=" + media).redirectErrorStream(true).start();
        assertTrue(gst.waitFor(120, TimeUnit.SECONDS), "gst-launch-1.0 did not finish");
        assertEquals(0, gst.exitValue(), new String(gst.getInputStream().readAllBytes()));
        Path day = Files.createDirectories(root.resolve("old/" + CAMERA + "/" + DAY.replace("-", "")));
        for (int i = 0; i < files; i++) {
            if (skipped.contains(i)) {
                continue;
            }
            int t = 10 * 3600 + i * 10;
            Files.copy(media, day.resolve(String.format("%02d%02d%02d.mp4", t / 3600, t / 60 % 60, t % 60)));
        }
        String d = data.toString();
        ok(Vigil.run("config", "set", "api.port=0", "--data", d));
        for (String[] u : new String[][] { { ADMIN, "admin" }, { OPERATOR, "operator" }, { VIEWER, "viewer" } }) {
            ok(Vigil.run(Duration.ofSeconds(90), PASSWORD + "\n", "user", "add", u[0], "--role", u[1],
                    "--password-stdin", "--data", d));
        }
        vigil = Vigil.start(log, "run", "--headless", "--data", d);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(180), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready: " + Vigil.read(log));
        Vigil.Result imported = Vigil.run(Duration.ofSeconds(300), null, "storage", "import",
                root.resolve("old").toString(), "--data", d);
        ok(imported);
        String[] found = new String[1];
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> {
            try {
                Vigil.Result s = Vigil.run("api", "status", "--json", "--data", d);
                JsonObject o = JsonParser.parseString(s.out()).getAsJsonObject();
                for (JsonElement u : o.getAsJsonArray("urls")) {
                    if (u.getAsString().startsWith("https://")) {
                        java.net.URI uri = java.net.URI.create(u.getAsString()); // https://127.0.0.1:PORT/api
                        found[0] = uri.getScheme() + "://" + uri.getRawAuthority();
                        return true;
                    }
                }
                return false;
            } catch (IOException | InterruptedException | RuntimeException e) {
                return false;
            }
        }), "the API does not listen: " + Vigil.read(log));
        url = found[0];
    }

    static void ok(Vigil.Result r) {
        assertEquals(0, r.exit(), r.all());
    }

    /** {@code vigil args... --json --data DATA}, parsed. */
    JsonObject cli(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", "--data", data.toString()));
        Vigil.Result r = Vigil.run(Duration.ofSeconds(120), null, all.toArray(String[]::new));
        ok(r);
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    Answer get(String user, String path) throws IOException, InterruptedException {
        return curl(user, "GET", path, null);
    }

    /** A request by curl as {@code user} (null: without credentials); {@code path} is sent as written. */
    Answer curl(String user, String method, String path, String jsonBody) throws IOException, InterruptedException {
        Path body = Files.createTempFile(root, "body", ".out");
        Path headers = Files.createTempFile(root, "headers", ".out");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-k", "-g", "--path-as-is", "--max-time", "120",
                "-X", method, "-o", body.toString(), "-D", headers.toString(), "-w", "%{http_code}"));
        if (user != null) {
            cmd.addAll(List.of("-u", user + ":" + PASSWORD));
        }
        if (jsonBody != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
        }
        cmd.add(url + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        if (jsonBody != null) {
            p.getOutputStream().write(jsonBody.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "curl did not end");
        assertEquals(0, p.exitValue(), "curl " + method + " " + path + ": " + err);
        String type = "";
        for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                type = line.substring(13).strip();
            }
        }
        Answer a = new Answer(Integer.parseInt(code), Files.readString(body), type);
        Files.deleteIfExists(body);
        Files.deleteIfExists(headers);
        return a;
    }

    /** Waits for the job {@code id} to end (as {@code user}) and answers its last state. */
    JsonObject awaitJob(String user, String id, Duration timeout) throws Exception {
        JsonObject[] last = new JsonObject[1];
        assertTrue(Vigil.waitUntil(timeout, () -> {
            try {
                Answer a = get(user, "/api/jobs/" + id);
                last[0] = a.json();
                String state = last[0].get("state").getAsString();
                return !state.equals("queued") && !state.equals("running");
            } catch (Exception e) {
                return false;
            }
        }), "the job " + id + " did not end: " + last[0]);
        return last[0];
    }

    @Override
    public void close() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.descendants().forEach(ProcessHandle::destroyForcibly);
                vigil.destroyForcibly();
            }
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** True when {@code vigil audit} has an entry of {@code action} by {@code actor} from 127.0.0.1. */
    boolean audited(String actor, String action) throws IOException, InterruptedException {
        for (JsonElement e : cli("audit", "--since", "-1d").getAsJsonArray("entries")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("actor").getAsString().equals(actor) && o.get("action").getAsString().equals(action)
                    && o.get("from").getAsString().contains("127.0.0.1")) {
                return true;
            }
        }
        return false;
    }
}
