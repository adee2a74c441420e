package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * Issue 22, item 6: a camera's recordings folder becomes unwritable while it records ({@code chattr +i}, which holds
 * for root too; the tests run as root in CI). The camera says so in one sentence, its pipeline is torn down cleanly
 * (no "refused to go to NULL", no connection left open to the camera between attempts), it records again by itself
 * within one retry interval of the folder becoming writable, and another camera records on without a hole.
 */
class WriteFailureTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;
    private final List<Path> immutable = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, WriteFailureTest.class);
        String data = context.getProperty("vigil.data");
        Path work = Path.of(data == null ? System.getProperty("java.io.tmpdir") : data).resolve("write-failure");
        if (Files.exists(work)) {
            chattr("-R", "-i", work.toString()); // what an interrupted run left immutable
        }
        h = new Harness(context, "write-failure");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @AfterEach
    void writable() throws Exception {
        for (Path p : immutable) {
            chattr("-i", p.toString());
        }
        immutable.clear();
    }

    @Test
    void aCameraWhoseFolderCannotBeWrittenSaysSoLetsGoOfTheCameraAndRecordsAgainWhenItCan() throws Exception {
        Capture log = Capture.start();
        try (TestCamera camA = TestCamera.start(h.work.resolve("cam-a"), 320, 180, 25, 25);
                TestCamera camB = TestCamera.start(h.work.resolve("cam-b"), 320, 180, 25, 25)) {
            String a = "wf-a";
            String b = "wf-b";
            int retrySeconds = 3;
            h.add(a, camA.url("/h264"), "segmentSeconds", 2, "reconnectMinSeconds", 1, "reconnectMaxSeconds",
                    retrySeconds);
            h.add(b, camB.url("/h264"), "segmentSeconds", 2);
            h.awaitState(a, CameraState.RECORDING, Duration.ofSeconds(30));
            h.awaitState(b, CameraState.RECORDING, Duration.ofSeconds(30));
            ClosedSegment first = h.awaitSegments(a, 1, Duration.ofSeconds(30)).get(0);
            long bReconnects = numbers(b).reconnects();

            // the camera's folder and today's folder in it can no longer be written (also not by root)
            Path day = first.path().getParent();
            Path cameraFolder = day.getParent();
            long faultAt = System.nanoTime();
            makeImmutable(cameraFolder);
            makeImmutable(day);

            // (a) one sentence in the camera's status that says what cannot be written
            CameraStatus off = h.awaitState(a, CameraState.OFFLINE, Duration.ofSeconds(30));
            String why = off.reason().orElse("");
            assertTrue(why.contains(day.toString()) || why.contains(cameraFolder.toString()),
                    "the status names the folder that cannot be written: " + why);
            assertTrue(why.contains("cannot be written"), "the status says the folder cannot be written: " + why);
            assertTrue(why.endsWith(".") && !why.contains("\n") && !why.contains("Exception"),
                    "one sentence: " + why);

            // (b) torn down cleanly: every attempt lets go of its connection, none piles up
            assertTrue(Await.until(Duration.ofSeconds(20), () -> connectionsTo(camA.port()) == 0),
                    "no connection to the camera is left open after the failed attempt: " + connections(camA.port()));
            int most = 0;
            long watchUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * retrySeconds);
            while (System.nanoTime() < watchUntil) {
                most = Math.max(most, connectionsTo(camA.port()));
                Thread.sleep(100);
            }
            assertTrue(most <= 1, "at most the attempt in hand is connected to the camera; seen " + most);
            assertEquals(1, most, "the camera is tried again while the folder cannot be written (every " + retrySeconds
                    + " s)");
            assertTrue(Await.until(Duration.ofSeconds(20), () -> connectionsTo(camA.port()) == 0),
                    "no connection left open between attempts: " + connections(camA.port()));
            assertEquals(List.of(), log.problems(), "pipelines stop cleanly");

            // the retries against the unwritable folder do not show the camera as connecting or recording (which
            // would also reset how long it has been offline, and with it the monitor's offline alert)
            long offAt = h.seen(a, CameraState.OFFLINE, faultAt).orElseThrow();
            long fixedAt = System.nanoTime();
            for (Harness.Seen seen : h.history) {
                if (seen.status().cameraId().equals(a) && seen.nanos() > offAt && seen.nanos() < fixedAt) {
                    assertEquals(CameraState.OFFLINE, seen.status().state(), "OFFLINE throughout the fault: "
                            + h.history(a));
                }
            }

            // (c) writable again: recording resumes by itself within one retry interval (plus connecting)
            int before = h.segments(a).size();
            writable();
            fixedAt = System.nanoTime();
            h.awaitState(a, CameraState.RECORDING, Duration.ofSeconds(retrySeconds + 20));
            long back = h.seen(a, CameraState.RECORDING, fixedAt).orElseThrow();
            List<ClosedSegment> after = h.awaitSegments(a, before + 1, Duration.ofSeconds(30));
            ClosedSegment resumed = after.get(after.size() - 1);
            Media.Probe p = Media.probe(resumed.path());
            assertTrue(p.playable() && p.firstIsKey(), "the segment recorded after the fault plays: " + p);

            // (d) the other camera recorded on, in one connection, without a hole
            List<ClosedSegment> bs = h.segments(b);
            assertEquals(bReconnects, numbers(b).reconnects(), "the other camera never reconnected: " + h.history(b));
            assertTrue(h.seen(b, CameraState.RECONNECTING, faultAt).isEmpty()
                    && h.seen(b, CameraState.OFFLINE, faultAt).isEmpty(), "the other camera kept recording: "
                    + h.history(b));
            for (int i = 0; i + 1 < bs.size(); i++) {
                assertEquals(bs.get(i).end(), bs.get(i + 1).start(), "no hole in the other camera after segment " + i);
            }
            assertTrue(bs.size() >= 3, "the other camera closed segments throughout: " + bs.size());
            assertEquals(List.of(), log.problems(), "pipelines stop cleanly");
            Report.line(context, "recordings folder unwritable (chattr +i): '" + why + "'; recording again "
                    + TimeUnit.NANOSECONDS.toMillis(back - fixedAt) + " ms after it was writable again (retry "
                    + retrySeconds + " s); at most " + most + " connection(s) to the camera during the fault");
        } finally {
            log.close();
        }
    }

    private void makeImmutable(Path folder) throws Exception {
        int rc = chattr("+i", folder.toString());
        if (rc != 0) {
            fail("This test needs 'chattr +i' (root on a file system with immutable files, as in CI) to make "
                    + folder + " unwritable, and chattr answered " + rc + "; run the tests as root on ext4, xfs or"
                    + " btrfs.");
        }
        immutable.add(folder);
        Path probe = folder.resolve("probe-" + System.nanoTime());
        try {
            Files.createFile(probe);
            Files.deleteIfExists(probe);
            fail("'chattr +i " + folder + "' did not make it unwritable (a file could still be created in it).");
        } catch (IOException expected) {
            // unwritable, as wanted
        }
    }

    private static int chattr(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chattr"));
        for (int i = 0; i < args.length - 1; i++) {
            cmd.add(args[i]);
        }
        Path p = Path.of(args[args.length - 1]);
        String flag = String.join(" ", cmd.subList(1, cmd.size()));
        cmd.add(p.toString());
        Process c = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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

    /** Established TCP connections of this host whose remote end is {@code port} on 127.0.0.1 (ours to the camera). */
    static int connectionsTo(int port) {
        return connections(port).size();
    }

    static List<String> connections(int port) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 5 || !f[2].contains(":")) {
                        continue;
                    }
                    int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (remote == port && "01".equals(f[3])) {
                        found.add(f[1] + " -> " + f[2] + " tx:rx " + f[4]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // no such table
            }
        }
        return found;
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }

    /** Collects what the pipelines log about a teardown that did not reach NULL. */
    static final class Capture extends Handler implements AutoCloseable {
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final Logger logger = Logger.getLogger("");

        static Capture start() {
            Capture c = new Capture();
            c.logger.addHandler(c);
            return c;
        }

        List<String> problems() {
            return List.copyOf(problems);
        }

        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage() == null ? "" : r.getMessage();
            if (m.contains("refused to go to NULL") || m.contains("after being set to NULL")
                    || m.contains("failed the change to NULL")) {
                Object[] p = r.getParameters();
                problems.add(p == null ? m : java.text.MessageFormat.format(m, p));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
