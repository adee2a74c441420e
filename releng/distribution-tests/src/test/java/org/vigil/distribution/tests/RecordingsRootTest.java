package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 7: with {@code recording.recordingsRoot} set to a folder outside the data directory (set before the
 * recorder starts, as a user does), {@code vigil status} and {@code vigil metrics} reported the unused
 * {@code <data>/recordings} while the real volume was full, and {@code vigil storage status} said READY while every
 * write failed. Now both report the folder recorded to, and a recordings folder that cannot be written (made
 * immutable with {@code chattr +i}, which holds for root too) is a failing storage, with its sentence, until it can be
 * written again.
 */
class RecordingsRootTest {
    private Process vigil;
    private Path immutable;

    @AfterEach
    void cleanUp() throws Exception {
        if (immutable != null) {
            chattr("-i", immutable);
        }
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.descendants().forEach(ProcessHandle::destroyForcibly);
                vigil.destroyForcibly();
            }
        }
    }

    @Test
    void statusMetricsAndStorageStatusAreAboutTheFolderRecordedToAndSayWhenItCannotBeWritten() throws Exception {
        Path base = Files.createTempDirectory("vigil-root-");
        Path data = base.resolve("data");
        Path root = base.resolve("elsewhere").resolve("recordings");
        Files.createDirectories(root);
        String d = data.toString();
        Vigil.Result set = Vigil.run("config", "set", "recording.recordingsRoot=" + root, "--data", d);
        assertEquals(0, set.exit(), set.all());
        // and a retention floor: the monitor's third configuration, also made before the start
        Vigil.Result floor = Vigil.run("config", "set", "retention.minFreeDiskPercent=7", "--data", d);
        assertEquals(0, floor.exit(), floor.all());
        Vigil.Result adopt = Vigil.run("storage", "adopt", "--yes", "--data", d);
        assertEquals(0, adopt.exit(), adopt.all());

        Path output = base.resolve("vigil.out");
        vigil = Vigil.start(output, "run", "--headless", "--data", d);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> Vigil.read(output).contains(" is ready in ")),
                "not ready within 90 s: " + Vigil.read(output));

        // the disk readings are about the folder recorded to, from the first reading on
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> says(new String[] { "status", "--data", d },
                "Disk: recordings in " + root + ":")), "vigil status names " + root + ":\n" + last);
        assertFalse(last.contains(data.resolve("recordings").toString()), "not the unused default folder:\n" + last);
        assertTrue(last.contains("retention floor 7 %"), "the floor set before the start:\n" + last);
        Vigil.Result metrics = Vigil.run("metrics", "--data", d);
        assertEquals(0, metrics.exit(), metrics.all());
        assertTrue(metrics.out().contains("vigil_disk_free_bytes{path=\"" + root + "\"}"), metrics.out());
        assertTrue(metrics.out().contains("vigil_disk_min_free_ratio{path=\"" + root + "\"} 0.07"), metrics.out());
        assertFalse(metrics.out().contains(data.resolve("recordings").toString()), metrics.out());
        Vigil.Result ready = Vigil.run("storage", "status", "--data", d);
        assertEquals(0, ready.exit(), ready.all());
        assertTrue(ready.out().contains("State: READY"), ready.all());

        // every write fails: the storage says so, in one sentence, and recovers by itself
        makeImmutable(root);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> {
            try {
                Vigil.Result r = Vigil.run("storage", "status", "--data", d);
                last = r.all();
                return r.exit() == 1 && r.out().contains("cannot be written");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }), "storage status fails and says the disk cannot be written:\n" + last);
        assertTrue(last.contains("The recordings disk at " + root + " cannot be written ("), last);
        assertFalse(last.contains("Exception") || last.contains("\tat "), "one sentence, no Java text:\n" + last);
        assertTrue(says(new String[] { "status", "--data", d }, "cannot be written"),
                "vigil status says it too:\n" + last);

        chattr("-i", root);
        immutable = null;
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> {
            try {
                Vigil.Result r = Vigil.run("storage", "status", "--data", d);
                last = r.all();
                return r.exit() == 0 && r.out().contains("State: READY");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }), "writable again: READY by itself:\n" + last);
        try (var files = Files.list(root)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".vigil-write-check")),
                    "the write check leaves no file behind");
        }
    }

    private String last = "";

    private boolean says(String[] args, String text) {
        try {
            Vigil.Result r = Vigil.run(args);
            last = r.all();
            return r.out().contains(text);
        } catch (IOException | InterruptedException e) {
            last = e.toString();
            return false;
        }
    }

    private void makeImmutable(Path folder) throws Exception {
        int rc = chattr("+i", folder);
        if (rc != 0) {
            fail("This test needs 'chattr +i' (root on a file system with immutable files, as in CI) to make "
                    + folder + " unwritable, and chattr answered " + rc + "; run the tests as root on ext4, xfs or"
                    + " btrfs.");
        }
        immutable = folder;
        try {
            Files.delete(Files.createFile(folder.resolve("probe")));
            fail("'chattr +i " + folder + "' did not make it unwritable (a file could still be created in it).");
        } catch (IOException expected) {
            // unwritable, as wanted
        }
    }

    private static int chattr(String flag, Path p) throws Exception {
        Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!c.waitFor(10, TimeUnit.SECONDS)) {
            c.destroyForcibly();
            return -1;
        }
        if (c.exitValue() != 0) {
            System.out.println("chattr " + flag + " " + p + ": " + out);
        }
        return c.exitValue();
    }
}
