package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A clean stop of a recording instance (SIGTERM of {@code vigil run --headless --demo}) catalogues every segment it
 * wrote, the last one (cut by the stop) included: the cameras stop before the storage (start levels in
 * conf/config.properties). Before, the storage stopped first and the last file stayed out of the catalog until the
 * next start; a backup in between missed it.
 */
class CleanStopTest {
    private Process vigil;

    @AfterEach
    void kill() {
        if (vigil != null && vigil.isAlive()) {
            vigil.descendants().forEach(ProcessHandle::destroyForcibly);
            vigil.destroyForcibly();
        }
    }

    @Test
    void sigtermCataloguesEverySegmentTheCamerasWrote() throws Exception {
        Path data = Files.createTempDirectory("vigil-stop-").resolve("data");
        Path output = data.getParent().resolve("vigil.out");
        String d = data.toString();
        vigil = Vigil.start(output, "run", "--headless", "--demo", "--data", d);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> Vigil.read(output).contains(" is ready in ")),
                "not ready within 90 s: " + Vigil.read(output));
        // 3 s segments instead of the default minute, so that a few are finished before the stop
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> succeeds("camera", "set", "demo", "segment=3",
                "--data", d)), "the demo camera is configured: " + Vigil.read(output));
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> {
            try {
                return rows(Vigil.run("recordings", "list", "--json", "--data", d)).size() >= 2;
            } catch (IOException | InterruptedException | RuntimeException e) {
                return false;
            }
        }), "two segments catalogued while running: " + Vigil.read(output));

        Vigil.sigterm(vigil);
        assertTrue(vigil.waitFor(60, TimeUnit.SECONDS), "did not stop within 60 s after SIGTERM");
        String out = Vigil.read(output);
        assertEquals(0, vigil.exitValue(), out);
        assertFalse(out.contains("recordings storage is not running"), "the cameras stopped before the storage:\n"
                + out);

        Set<String> files = mp4Files(data.resolve("recordings"));
        assertTrue(files.size() >= 3, "segments on disk: " + files);
        Vigil.Result list = Vigil.run("recordings", "list", "--json", "--limit", "1000", "--data", d);
        assertEquals(0, list.exit(), list.all());
        Set<String> catalogued = new TreeSet<>(rows(list));
        assertEquals(files, catalogued, "every .mp4 under recordings/ has its catalog row (the one-shot command)");

        Vigil.Result check = Vigil.run("storage", "check", "--json", "--data", d);
        assertEquals(0, check.exit(), check.all());
        JsonObject report = JsonParser.parseString(check.out()).getAsJsonObject();
        assertEquals(0, report.get("catalogued").getAsInt(), "the check finds nothing to catalogue: " + check.out());
        assertFalse(report.get("problems_found").getAsBoolean(), check.out());
    }

    private static boolean succeeds(String... args) {
        try {
            return Vigil.run(args).exit() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The absolute paths of the segments in {@code vigil recordings list --json} output. */
    private static List<String> rows(Vigil.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException(r.all());
        }
        JsonArray segments = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("segments");
        return segments.asList().stream().map(JsonElement::getAsJsonObject)
                .map(o -> Path.of(o.get("path").getAsString()).toAbsolutePath().normalize().toString()).toList();
    }

    private static Set<String> mp4Files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".mp4"))
                    .map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
