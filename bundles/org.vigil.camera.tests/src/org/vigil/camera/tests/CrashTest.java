package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.camera.internal.CrashRecorder;
import org.vigil.testing.Await;

/**
 * {@code kill -9} of a recording process: the file being written plays up to its last fragment, losing at most
 * 2 s (goal 1 s) at the end. The child process runs the recorder's own pipeline (camera session, segment writer)
 * from this framework's bundle jars, recording a camera whose GOP is 2 s.
 */
class CrashTest {
    static final Set<String> BUNDLES = Set.of("org.vigil.camera", "org.vigil.camera.tests", "org.vigil.api",
            "org.vigil.gst", "wrapped.org.freedesktop.gstreamer.gst1-java-core", "com.sun.jna");
    /** Seconds into a segment at which the recorder is killed: early, middle, late in a 2 s GOP. */
    static final double[] KILL_AFTER = { 3.3, 4.7, 6.1 };

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, CrashTest.class);
        h = new Harness(context, "crash");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void killingTheRecorderLosesAtMostTheLastFragment() throws Exception {
        List<String> results = new ArrayList<>();
        double worst = 0;
        try (TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 50)) {
            for (int run = 0; run < KILL_AFTER.length; run++) {
                Path dir = h.work.resolve("crash-" + run);
                Process p = new ProcessBuilder(java(), "-cp", classpath(), CrashRecorder.class.getName(),
                        cam.url("/h264"), dir.toString()).redirectErrorStream(true).start();
                try {
                    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
                    CompletableFuture.runAsync(() -> {
                        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                                StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (java.io.IOException e) {
                            // the process was killed
                        }
                    });
                    String open = null;
                    List<String> seen = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (open == null && System.nanoTime() < deadline) {
                        String line = lines.poll(1, TimeUnit.SECONDS);
                        if (line != null) {
                            seen.add(line);
                        }
                        if (line != null && line.startsWith("OPEN ")) {
                            open = line;
                        } else if (line != null && line.startsWith("FAILED")) {
                            throw new AssertionError("the recorder failed: " + line);
                        }
                    }
                    assertTrue(open != null, "the child recorder opened a segment: " + seen);
                    String[] f = open.split(" ", 3);
                    Instant start = Instant.ofEpochMilli(Long.parseLong(f[1]));
                    Path file = Path.of(f[2]);
                    Instant killAt = start.plusMillis(Math.round(KILL_AFTER[run] * 1000));
                    assertTrue(Await.until(Duration.ofSeconds(20), () -> !Instant.now().isBefore(killAt)));
                    p.destroyForcibly(); // SIGKILL
                    Instant killed = Instant.now();
                    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                    Media.Probe probe = Media.probe(file);
                    double elapsed = Duration.between(start, killed).toMillis() / 1000.0;
                    double lost = elapsed - probe.duration();
                    worst = Math.max(worst, lost);
                    results.add(String.format("killed %.2f s into the segment: file plays %.2f s (%d frames), lost"
                            + " %.2f s", elapsed, probe.duration(), probe.frames(), lost));
                    assertTrue(probe.playable(), "the killed recorder's file plays: " + probe);
                    assertTrue(probe.firstIsKey(), "it starts with a keyframe");
                    assertEquals("h264", probe.videoCodec());
                    assertTrue(lost <= 2.0, String.format("at most 2 s lost: %.2f s (%s)", lost, results));
                } finally {
                    p.destroyForcibly();
                }
            }
        }
        Report.line(context, "kill -9 of the recorder (GOP 2 s, fragments of 500 ms): " + String.join("; ", results)
                + String.format("; worst loss %.2f s", worst));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The jars of the bundles the recorder's pipeline needs, as a class path. */
    private static String classpath() {
        List<String> jars = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (BUNDLES.contains(b.getSymbolicName())) {
                jars.add(path(b.getLocation()));
            }
        }
        assertEquals(BUNDLES.size(), jars.size(), "the bundles' jars: " + jars);
        try {
            // the OSGi framework's classes (named in signatures of the recorder's classes)
            jars.add(Path.of(Bundle.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(":", jars);
    }

    private static String path(String location) {
        String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        return l.startsWith("file:") ? Path.of(URI.create(l)).toString() : l;
    }
}
