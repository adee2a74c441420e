package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorders and one-shot commands on one data directory, in every order of issue 13: a recorder always starts when
 * no other recorder holds the directory, commands side by side all answer, a second recorder is refused at once.
 */
class SharedDataDirectoryTest {
    /** The launcher's own bound for a recorder waiting on a command, plus start-up: generous for a loaded machine. */
    private static final Duration READY = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                Vigil.sigterm(p);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    private Process startRecorder(Path data, Path log) throws Exception {
        Process p = Vigil.start(log, "run", "--headless", "--data", data.toString());
        started.add(p);
        return p;
    }

    static void assertNoStackTrace(Vigil.Result r) {
        assertFalse(r.all().contains("\tat ") || r.all().contains("Exception"), "no stack trace: " + r.all());
    }

    @Test
    void aRecorderStartedWhileOneShotCommandsRunInALoopBecomesReady() throws Exception {
        Path data = temp.resolve("data");
        Path log = temp.resolve("recorder.out");
        AtomicBoolean stop = new AtomicBoolean();
        List<Vigil.Result> results = new CopyOnWriteArrayList<>();
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try {
            Future<?> commands = loop.submit(() -> {
                while (!stop.get()) {
                    results.add(Vigil.run("camera", "list", "--data", data.toString()));
                }
                return null;
            });
            // the loop is under way: its first command has taken the data directory
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> lockText(data).endsWith(" command")),
                    "the first command did not take the lock: " + lockText(data));
            Process recorder = startRecorder(data, log);
            assertTrue(Vigil.waitUntil(READY, () -> Vigil.read(log).contains(" is ready in ") || !recorder.isAlive()),
                    "not ready: " + Vigil.read(log));
            assertTrue(recorder.isAlive(), Vigil.read(log));
            assertTrue(Vigil.read(log).contains(" is ready in "), Vigil.read(log));
            assertFalse(Vigil.read(log).contains("in use by another Vigil"), Vigil.read(log));
            int before = results.size();
            // commands keep answering, now through the recorder
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> results.size() >= before + 2), "the loop stalled");
            stop.set(true);
            commands.get(120, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            loop.shutdownNow();
            loop.awaitTermination(120, TimeUnit.SECONDS);
        }
        assertTrue(results.size() >= 3, "commands ran: " + results.size());
        for (Vigil.Result r : results) {
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("No cameras yet"), r.all());
            assertNoStackTrace(r);
        }
    }

    @Test
    void aCommandStartedWhileTheRecorderStartsRunsInIt() throws Exception {
        Path data = temp.resolve("data");
        Path log = temp.resolve("recorder.out");
        Process recorder = startRecorder(data, log);
        // the recorder holds the directory (it may or may not be ready yet: on a fast machine it soon is)
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> lockText(data).equals(recorder.pid() + " recorder")),
                "the recorder did not take the lock: " + lockText(data) + Vigil.read(log));
        Vigil.Result add = Vigil.run("camera", "add", "door", "rtsp://127.0.0.1:9/door", "--data", data.toString());
        assertEquals(0, add.exit(), add.all());
        assertNoStackTrace(add);
        assertTrue(add.err().isEmpty() || add.err().strip().equals("Vigil (PID " + recorder.pid() + ") is starting on "
                + data + "; the command runs in it once it is ready."), add.err());
        Vigil.Result status = Vigil.run("status", "--data", data.toString());
        assertTrue(status.out().contains("(PID " + recorder.pid() + ","), "the recorder runs: " + status.all());
        Vigil.Result list = Vigil.run("camera", "list", "--data", data.toString());
        assertTrue(list.out().contains("door"), "the camera was added in the recorder: " + list.all());
        assertTrue(recorder.isAlive(), Vigil.read(log));
    }

    @Test
    void threeOneShotCommandsAtOnceAllAnswer() throws Exception {
        Path data = temp.resolve("data");
        Vigil.Result add = Vigil.run("camera", "add", "gate", "rtsp://127.0.0.1:9/gate", "--data", data.toString());
        assertEquals(0, add.exit(), add.all());
        for (int n : new int[] { 3, 2 }) {
            List<Vigil.Result> results = atOnce(n, () -> Vigil.run("camera", "list", "--data", data.toString()));
            for (Vigil.Result r : results) {
                assertEquals(0, r.exit(), n + " at once: " + r.all());
                assertTrue(r.out().contains("gate"), n + " at once: " + r.all());
                assertEquals("", r.err(), n + " at once, nothing on standard error");
                assertNoStackTrace(r);
            }
        }
        assertFalse(Files.exists(data.resolve("command.sock")), "the one-shot frameworks removed their socket");
    }

    @Test
    void aSecondRecorderHalfASecondAfterTheFirstIsRefusedAtOnceAndTheFirstStaysUp() throws Exception {
        Path data = temp.resolve("data");
        Path log = temp.resolve("recorder.out");
        Process first = startRecorder(data, log);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> lockText(data).equals(first.pid() + " recorder")),
                "the first recorder did not take the lock: " + lockText(data) + Vigil.read(log));
        long t0 = System.nanoTime();
        Vigil.Result second = Vigil.run("run", "--headless", "--data", data.toString());
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(1, second.exit(), second.all());
        LauncherTest.assertOneCleanSentence(second);
        assertTrue(second.err().contains("in use by another Vigil (PID " + first.pid() + ")"), second.err());
        // "at once": not after the 60 s that a start-up may take
        assertTrue(seconds < 30, "refused after " + seconds + " s");
        assertTrue(Vigil.waitUntil(READY, () -> Vigil.read(log).contains(" is ready in ") || !first.isAlive()),
                Vigil.read(log));
        assertTrue(first.isAlive(), "the first recorder stays up: " + Vigil.read(log));
        Vigil.Result status = Vigil.run("status", "--data", data.toString());
        assertTrue(status.out().contains("(PID " + first.pid() + ","), status.all());
    }

    private static String lockText(Path data) {
        return Vigil.read(data.resolve("lock")).strip();
    }

    private static List<Vigil.Result> atOnce(int n, Callable<Vigil.Result> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Vigil.Result>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task));
            }
            List<Vigil.Result> results = new ArrayList<>();
            for (Future<Vigil.Result> f : futures) {
                results.add(f.get(300, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
