package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command run through the running instance whose client goes away (Ctrl-C, SIGTERM) cancels the job it started:
 * an export stopped mid-way leaves no file, neither the clip nor its partial file, and the instance says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandCancelTest {
    /** Two hours of recordings in 720 ten-second files: an export of them takes seconds even on a fast machine. */
    private static final int FILES = 720;

    private Path root;
    private Path data;
    private Path log;
    private Process vigil;

    @BeforeAll
    void startWithRecordings() throws Exception {
        root = Files.createTempDirectory("vigil-cancel-");
        data = root.resolve("data");
        log = root.resolve("vigil.out");
        Path media = root.resolve("plain.mp4");
        Process gst = new ProcessBuilder("gst-launch-1.0", "-q", "videotestsrc", "num-buffers=250", "pattern=ball", "!",
                "video/x-raw,framerate=25/1,width=320,height=240", "!", "x264enc", "key-int-max=50",
                "speed-preset=ultrafast", "!", "h264parse", "!", "mp4mux", "!", "filesink",
                "location=" + media).redirectErrorStream(true).start();
        assertTrue(gst.waitFor(120, TimeUnit.SECONDS), "gst-launch-1.0 did not finish");
        assertEquals(0, gst.exitValue(), new String(gst.getInputStream().readAllBytes()));
        Path day = Files.createDirectories(root.resolve("old/cam1/20250301"));
        for (int i = 0; i < FILES; i++) {
            int t = 10 * 3600 + i * 10;
            Files.copy(media, day.resolve(String.format("%02d%02d%02d.mp4", t / 3600, t / 60 % 60, t % 60)));
        }
        vigil = Vigil.start(log, "run", "--headless", "--data", data.toString());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready: " + Vigil.read(log));
        Vigil.Result imported = Vigil.run(Duration.ofSeconds(300), null, "storage", "import",
                root.resolve("old").toString(), "--data", data.toString());
        assertEquals(0, imported.exit(), imported.all());
        assertTrue(imported.out().contains(FILES + " catalogued"), imported.out());
    }

    @AfterAll
    void stop() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.destroyForcibly();
            }
        }
        // two copies of two hours of recordings: do not leave them in /tmp
        if (root != null) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "INT", "TERM" })
    void anExportWhoseClientIsStoppedMidWayLeavesNoFile(String signal) throws Exception {
        Path outDir = Files.createDirectories(root.resolve("out-" + signal));
        Path clip = outDir.resolve("clip.mp4");
        Path partial = outDir.resolve(".clip.mp4.part");
        Path clientLog = root.resolve("export-" + signal + ".out");
        int goneBefore = count(Vigil.read(log), "went away before it finished");
        Process export = Vigil.start(clientLog, "export", "--camera", "cam1", "--from", "2025-03-01T10:00", "--to",
                "2025-03-01T12:00", "--out", clip.toString(), "--data", data.toString());
        try {
            // mid-way: the instance is writing the clip under its temporary name
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> Files.exists(partial) || !export.isAlive()),
                    "the export did not start writing: " + Vigil.read(clientLog));
            assertTrue(export.isAlive(), "the export ended before it could be stopped: " + Vigil.read(clientLog));
            new ProcessBuilder("kill", "-" + signal, Long.toString(export.pid())).inheritIO().start().waitFor();
            assertTrue(export.waitFor(30, TimeUnit.SECONDS), "the client did not end on SIG" + signal);
        } finally {
            export.destroyForcibly();
        }
        assertEquals(130, export.exitValue(), Vigil.read(clientLog));
        assertTrue(Vigil.read(clientLog).contains("Interrupted; the command was stopped."), Vigil.read(clientLog));
        // the instance noticed, cancelled the job and rolled back its file
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> count(Vigil.read(log), "went away before it finished")
                > goneBefore), "the instance did not notice: " + Vigil.read(log));
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> !Files.exists(partial)),
                "the partial file stays: " + List.of(outDir.toFile().list()));
        assertFalse(Files.exists(clip), "no clip");
        assertEquals(0, outDir.toFile().list().length, "nothing left: " + List.of(outDir.toFile().list()));
        assertTrue(vigil.isAlive(), Vigil.read(log));
        // the job is gone: the same export now runs to its end on its own (the job runner has room for it)
        Vigil.Result again = Vigil.run(Duration.ofSeconds(300), null, "export", "--camera", "cam1", "--from",
                "2025-03-01T10:00", "--to", "2025-03-01T10:01", "--out", clip.toString(), "--data", data.toString());
        assertEquals(0, again.exit(), again.all());
        assertTrue(Files.isRegularFile(clip));
        assertTrue(Vigil.read(log).contains("The client of 'vigil export' went away before it finished; stopping what"
                + " it started."), Vigil.read(log));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
