package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
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
 * Every kind of wrong camera at once, beside a good one: each gets a clear state and reason, none crashes or
 * disturbs the good camera, and nothing unplayable is left in the recordings tree.
 */
class BadInputTest {
    static final Duration STATE = Duration.ofSeconds(25);

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, BadInputTest.class);
        h = new Harness(context, "bad-input");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void wrongCamerasGetAClearReasonAndNeverDisturbTheGoodOne() throws Exception {
        // A port where nothing accepts connections, held for the whole test: a socket bound to it but not listening
        // refuses every connection, and no other server of the test (the silent one, the camera) can be given it.
        // (A port closed before the test ran was once handed to the silent server: "did not answer within 10 s".)
        try (java.net.Socket refusing = new java.net.Socket();
                TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 25);
                FakeServer garbage = new FakeServer(FakeServer.Mode.GARBAGE);
                FakeServer silent = new FakeServer(FakeServer.Mode.SILENT)) {
            refusing.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int closedPort = refusing.getLocalPort();
            h.add("good", DemoCam.url(context, "url.h264"), "segmentSeconds", 3);
            h.awaitState("good", CameraState.RECORDING, STATE);
            int goodSession = numbers("good").session();
            h.add("bad-refused", "rtsp://127.0.0.1:" + closedPort + "/stream");
            h.add("bad-401", cam.securedUrl(null));
            h.add("bad-401-wrong", cam.securedUrl("vigil:wrong-password"));
            h.add("bad-404", cam.url("/no-such-stream"));
            h.add("bad-http", "http://127.0.0.1:" + cam.port() + "/h264");
            h.add("bad-garbage", garbage.url());
            h.add("bad-silent", silent.url(), "watchdogSeconds", 2);
            h.add("bad-novideo", cam.url("/audio"));
            h.add("bad-codec", cam.url("/h264"), "codec", "mjpeg");
            h.add("bad-resize", cam.url("/resize"), "segmentSeconds", 60);
            h.add("ok-auth", cam.securedUrl("vigil:secret"));

            Map<String, Object[]> expected = Map.ofEntries(
                    Map.entry("bad-refused", new Object[] { CameraState.RECONNECTING, "Nothing accepts connections" }),
                    Map.entry("bad-401", new Object[] { CameraState.OFFLINE, "401 Unauthorized" }),
                    Map.entry("bad-401-wrong", new Object[] { CameraState.OFFLINE, "401 Unauthorized" }),
                    Map.entry("bad-404", new Object[] { CameraState.OFFLINE, "404 Not Found" }),
                    Map.entry("bad-http", new Object[] { CameraState.OFFLINE, "must start with rtsp://" }),
                    Map.entry("bad-garbage", new Object[] { CameraState.OFFLINE, "does not answer like an RTSP" }),
                    Map.entry("bad-silent", new Object[] { CameraState.RECONNECTING, "did not answer within" }),
                    Map.entry("bad-novideo", new Object[] { CameraState.OFFLINE, "has no video" }),
                    Map.entry("bad-codec", new Object[] { CameraState.OFFLINE, "sends H264 but its codec is set to"
                            + " MJPEG" }));
            StringBuilder report = new StringBuilder("bad input:");
            for (Map.Entry<String, Object[]> e : expected.entrySet()) {
                String id = e.getKey();
                CameraState state = (CameraState) e.getValue()[0];
                String words = (String) e.getValue()[1];
                assertTrue(Await.until(STATE, () -> h.cameras.status(id).map(s -> s.state() == state
                        && s.reason().orElse("").contains(words)).orElse(false)), id + " is " + state + " with '"
                        + words + "': " + h.cameras.status(id) + h.history(id));
                CameraStatus s = h.cameras.status(id).orElseThrow();
                report.append("\n  ").append(id).append(": ").append(s.state()).append(": ")
                        .append(s.reason().orElse(""));
                assertFalse(s.reason().orElse("").contains("secret") || s.reason().orElse("").contains("wrong-pass"),
                        "no password in a reason: " + s);
            }
            h.awaitState("ok-auth", CameraState.RECORDING, STATE);
            // a camera whose picture size changes every 3 s keeps recording, one segment per size
            assertTrue(Await.until(Duration.ofSeconds(20), () -> h.segments("bad-resize").size() >= 2),
                    "segments cut at the size changes: " + h.history("bad-resize"));
            assertEquals(CameraState.RECORDING, h.cameras.status("bad-resize").orElseThrow().state(),
                    h.history("bad-resize"));
            Report.line(context, report.toString());

            // the good camera recorded all along in one connection
            assertEquals(goodSession, numbers("good").session(), h.history("good"));
            assertEquals(0, numbers("good").reconnects());
            assertEquals(CameraState.RECORDING, h.cameras.status("good").orElseThrow().state());
            for (String id : List.of("bad-refused", "bad-401", "bad-401-wrong", "bad-404", "bad-http", "bad-garbage",
                    "bad-silent", "bad-novideo", "bad-codec", "ok-auth", "bad-resize", "good")) {
                h.remove(id);
            }
        }
        // nothing unplayable anywhere in the recordings tree
        List<Path> files = h.files();
        assertFalse(files.isEmpty());
        int sizes = 0;
        for (Path f : files) {
            Media.Probe p = Media.probe(f);
            assertTrue(p.playable() && p.firstIsKey(), f + " is playable: " + p);
            if (f.toString().contains("bad-resize")) {
                sizes |= p.width() == 320 ? 1 : p.width() == 640 ? 2 : 4;
            }
        }
        assertEquals(3, sizes, "the resizing camera's files have both sizes, each file one");
        for (ClosedSegment s : h.segments("bad-resize")) {
            assertEquals(s.frames(), Media.probe(s.path()).packets(), s.path().toString());
        }
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
