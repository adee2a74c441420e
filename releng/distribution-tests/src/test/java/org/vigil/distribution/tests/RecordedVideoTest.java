package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Issue 14 item 3: recorded video over HTTPS for clients nobody here wrote. The real recorder records the demo
 * camera in 3 s segments; curl asks for a range of it as one MP4 (whole, byte ranges, 416, 404), ffprobe and ffmpeg
 * read the https URL directly (they seek with byte ranges), and each segment file is served as it is on disk.
 */
class RecordedVideoTest {
    private static final String USER = "watcher";
    private static final String PASSWORD = "video-pass-2026";
    private static final Duration TOOL = Duration.ofSeconds(120);

    private static Path base;
    private static Path data;
    private static Process vigil;
    private static String url;
    /** The recorded segments of the demo camera, in time order (from {@code vigil recordings list --json}). */
    private static List<JsonObject> segments;

    @BeforeAll
    static void recordSomeSegments() throws Exception {
        base = Files.createTempDirectory("vigil-video-");
        data = base.resolve("data");
        String d = data.toString();
        for (String setting : new String[] {"api.port=0"}) {
            Vigil.Result r = Vigil.run("config", "set", setting, "--data", d);
            assertEquals(0, r.exit(), r.all());
        }
        Vigil.Result user = Vigil.run(Duration.ofSeconds(90), PASSWORD + "\n", "user", "add", USER, "--role", "viewer",
                "--password-stdin", "--data", d);
        assertEquals(0, user.exit(), user.all());
        Path log = base.resolve("vigil.out");
        vigil = Vigil.start(log, "run", "--headless", "--demo", "--data", d);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready within 90 s: " + Vigil.read(log));
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> apiUrl() != null), "no https URL in vigil api status");
        // the demo camera is added with 60 s segments: 3 s ones from now on (the change closes the current one)
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> {
            try {
                return Vigil.run("camera", "set", "demo", "segment=3", "--data", d).exit() == 0;
            } catch (Exception e) {
                return false;
            }
        }), "the demo camera was not added within 60 s: " + Vigil.read(log));
        int before = listSegments().size();
        // four closed 3 s segments after that: a range across three of them, starting inside the second
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> listSegments().size() >= before + 5),
                "the demo camera did not record 3 s segments within 120 s: " + listSegments() + "\n"
                        + Vigil.read(log));
        List<JsonObject> all = listSegments();
        segments = all.subList(all.size() - 4, all.size());
    }

    @AfterAll
    static void stop() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.descendants().forEach(ProcessHandle::destroyForcibly);
                vigil.destroyForcibly();
            }
        }
    }

    private static String apiUrl() {
        try {
            Vigil.Result r = Vigil.run("api", "status", "--json", "--data", data.toString());
            if (r.exit() != 0) {
                return null;
            }
            JsonArray urls = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("urls");
            for (JsonElement e : urls) {
                if (e.getAsString().startsWith("https://127.0.0.1:")) {
                    url = e.getAsString().replaceAll("/+$", "").replaceAll("/api$", "");
                    return url;
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static List<JsonObject> listSegments() {
        try {
            Vigil.Result r = Vigil.run("recordings", "list", "--camera", "demo", "--from", "-1h", "--json", "--data",
                    data.toString());
            List<JsonObject> out = new ArrayList<>();
            if (r.exit() != 0) {
                return out;
            }
            JsonElement root = JsonParser.parseString(r.out());
            JsonArray items = root.isJsonArray() ? root.getAsJsonArray()
                    : root.getAsJsonObject().getAsJsonArray(root.getAsJsonObject().has("items") ? "items" : "segments");
            items.forEach(e -> out.add(e.getAsJsonObject()));
            return out;
        } catch (Exception e) {
            return new ArrayList<>();
        }
    }

    private static Instant time(JsonObject segment, String field) {
        return Instant.parse(segment.get(field).getAsString());
    }

    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** curl (real, over HTTPS; the certificate is the recorder's self-signed one) with the viewer's credentials. */
    private static Answer curl(String path, String... extra) throws IOException, InterruptedException {
        Path headers = Files.createTempFile(base, "headers", ".txt");
        Path body = Files.createTempFile(base, "body", ".bin");
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-k", "-K", "-", "-D", headers.toString(), "-o",
                body.toString()));
        cmd.addAll(Arrays.asList(extra));
        cmd.add(url + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write(("user = \"" + USER + ":" + PASSWORD + "\"\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TOOL.toSeconds(), TimeUnit.SECONDS), "curl did not end: " + cmd);
        assertEquals(0, p.exitValue(), "curl " + cmd + ": " + out);
        Map<String, String> h = new LinkedHashMap<>();
        int status = 0;
        for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("HTTP/")) {
                status = Integer.parseInt(line.split(" ")[1]);
                h.clear();
            } else if (line.contains(":")) {
                h.put(line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT),
                        line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return new Answer(status, h, Files.readAllBytes(body));
    }

    private static String tool(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(base, "tool", ".txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(TOOL.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not end within " + TOOL + ": " + String.join(" ", command));
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
        return text;
    }

    /** The https URL with the viewer's credentials in it, as ffmpeg takes them. */
    private static String withCredentials(String path) {
        return url.replace("https://", "https://" + USER + ":" + PASSWORD + "@") + path;
    }

    /** From inside the second segment to inside the fourth: three segments. */
    private static String rangePath() {
        Instant from = time(segments.get(1), "start").plusMillis(1500);
        Instant to = time(segments.get(3), "start").plusMillis(1000);
        return "/api/cameras/demo/video.mp4?start=" + from + "&end=" + to.toEpochMilli();
    }

    @Test
    void aRangeAcrossThreeSegmentsIsOneMp4WithByteRanges() throws Exception {
        Answer whole = curl(rangePath());
        assertEquals(200, whole.status(), whole.text());
        assertEquals("video/mp4", whole.header("content-type"));
        assertEquals("bytes", whole.header("accept-ranges"));
        assertEquals(String.valueOf(whole.body().length), whole.header("content-length"));
        assertTrue(whole.header("etag").startsWith("\""), whole.headers().toString());
        assertTrue(whole.header("content-disposition").startsWith("inline; filename=\"demo-"), whole.headers().toString());
        assertTrue(!Instant.parse(whole.header("vigil-video-start")).isAfter(time(segments.get(1), "start").plusMillis(1500)),
                "starts at the keyframe at or before the start asked for: " + whole.headers());
        assertEquals("ftyp", new String(whole.body(), 4, 4, StandardCharsets.ISO_8859_1));

        Answer head = curl(rangePath(), "-I");
        assertEquals(200, head.status());
        assertEquals(whole.header("content-length"), head.header("content-length"));
        assertEquals(whole.header("etag"), head.header("etag"), "HEAD answers the headers of GET");

        long size = whole.body().length;
        for (String r : new String[] {"0-99", "1000-", "-500", (size / 2) + "-" + (size / 2 + 70_000)}) {
            Answer part = curl(rangePath(), "-r", r);
            assertEquals(206, part.status(), r + ": " + part.text());
            String[] cr = part.header("content-range").replace("bytes ", "").split("[-/]");
            long first = Long.parseLong(cr[0]);
            long last = Long.parseLong(cr[1]);
            assertEquals(size, Long.parseLong(cr[2]));
            assertArrayEquals(Arrays.copyOfRange(whole.body(), (int) first, (int) last + 1), part.body(), r);
        }
        Answer past = curl(rangePath(), "-r", size + "-");
        assertEquals(416, past.status(), past.text());
        assertEquals("bytes */" + size, past.header("content-range"));
        assertTrue(past.text().contains("\"error\"") && past.text().contains("past the end"), past.text());

        Answer again = curl(rangePath(), "-H", "If-None-Match: " + whole.header("etag"));
        assertEquals(304, again.status(), "the same frames: not modified");

        // ffprobe and ffmpeg read the URL itself (seeking in it with byte ranges)
        String probe = tool("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,nb_frames:format=duration", "-of", "default=noprint_wrappers=1",
                withCredentials(rangePath()));
        assertTrue(probe.contains("codec_name=h264"), probe);
        assertTrue(probe.contains("nb_frames=" + whole.header("vigil-frames")), probe + whole.headers());
        // raw frames to /dev/null: the null muxer complains about the demo camera's jittering timestamps, for its
        // own segment files too; a decoding error would still be printed
        String decode = tool("ffmpeg", "-nostdin", "-v", "error", "-i", withCredentials(rangePath()), "-f", "rawvideo",
                "-y", "/dev/null");
        assertEquals("", decode.strip(), "ffmpeg decodes every frame without an error");
        Path jpg = base.resolve("seek.jpg");
        tool("ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", "5", "-i", withCredentials(rangePath()), "-frames:v", "1",
                jpg.toString());
        assertTrue(Files.size(jpg) > 1000, "a picture 5 s into the video");
    }

    @Test
    void eachSegmentFileIsServedAsItIsOnDisk() throws Exception {
        JsonObject s = segments.get(2);
        long id = s.get("id").getAsLong();
        byte[] onDisk = Files.readAllBytes(Path.of(s.get("path").getAsString()));
        Answer whole = curl("/api/recordings/" + id + "/file");
        assertEquals(200, whole.status(), whole.text());
        assertArrayEquals(onDisk, whole.body());
        Answer part = curl("/api/recordings/" + id + "/file", "-r", "100-299");
        assertEquals(206, part.status());
        assertArrayEquals(Arrays.copyOfRange(onDisk, 100, 300), part.body());
        Answer missing = curl("/api/recordings/999999999/file");
        assertEquals(404, missing.status());
        assertTrue(missing.text().contains("No recording has the id 999999999"), missing.text());
        Answer notNumber = curl("/api/recordings/abc/file");
        assertEquals(400, notNumber.status(), notNumber.text());
    }

    @Test
    void wrongQuestionsGetOneJsonSentence() throws Exception {
        Instant start = time(segments.get(1), "start");
        Answer unknown = curl("/api/cameras/nosuchcamera/video.mp4?start=" + start + "&end=" + start.plusSeconds(5));
        assertEquals(404, unknown.status(), unknown.text());
        assertTrue(unknown.text().contains("nosuchcamera"), unknown.text());
        Instant early = time(segments.get(0), "start").minus(Duration.ofHours(2));
        Answer nothing = curl("/api/cameras/demo/video.mp4?start=" + early + "&end=" + early.plusSeconds(60));
        assertEquals(404, nothing.status(), nothing.text());
        assertTrue(nothing.text().contains("Nothing playable was recorded"), nothing.text());
        Answer tooLong = curl("/api/cameras/demo/video.mp4?start=" + early.minus(Duration.ofDays(3650)) + "&end="
                + early);
        assertEquals(400, tooLong.status(), tooLong.text());
        Answer reversed = curl("/api/cameras/demo/video.mp4?start=" + start.plusSeconds(5) + "&end=" + start);
        assertEquals(400, reversed.status(), reversed.text());
        Answer noStart = curl("/api/cameras/demo/video.mp4");
        assertEquals(400, noStart.status(), noStart.text());
        for (Answer a : List.of(unknown, nothing, tooLong, reversed, noStart)) {
            JsonObject o = JsonParser.parseString(a.text()).getAsJsonObject();
            String sentence = o.get("error").getAsString();
            assertTrue(!sentence.contains("Exception") && !sentence.contains("\n"), sentence);
        }
        // the other endpoints under /api/cameras/ are untouched by the video filter
        Answer other = curl("/api/cameras/demo/nothing-here");
        assertTrue(other.status() == 404 || other.status() == 405, other.status() + " " + other.text());
    }
}
