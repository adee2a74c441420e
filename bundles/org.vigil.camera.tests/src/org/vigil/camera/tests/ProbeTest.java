package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;
import org.vigil.testing.GstProbe;
import org.vigil.testing.Invocation;
import org.vigil.testing.ProcessProbe;

/**
 * The connection test ({@code CameraService.probe}, the Cameras view's "Test connection" and
 * {@code vigil camera probe}): against a real RTSP camera process it names the codec, size, frame rate and audio and
 * brings one decoded picture; wrong URLs get the recorder's own sentences within the time given; a camera being
 * recorded is not disturbed; many tests leave nothing behind; a cancelled test lets go of its connection at once.
 */
class ProbeTest {
    /** A 4:3-ish D1 picture, so that the snapshot must keep the aspect ratio: 704x576 fits 640x360 as 440x360. */
    static final int WIDTH = 704;
    static final int HEIGHT = 576;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int ROUNDS = 20;
    static final int THREAD_SLACK = 6;
    static final int FD_SLACK = 4;

    @InjectBundleContext
    static BundleContext context;

    static Harness h;
    static TestCamera cam;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, ProbeTest.class);
        h = new Harness(context, "probe");
        cam = TestCamera.start(h.work, WIDTH, HEIGHT, 25, 25);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cam != null) {
            cam.close();
        }
        if (h != null) {
            h.close();
        }
    }

    private static ProbeResult probe(String url) throws Exception {
        return Await.result(h.cameras.probe(url), WAIT);
    }

    @Test
    void h264H265AndMjpegGiveTheirCodecSizeFrameRateAndAMovingPicture() throws Exception {
        Object[][] cases = { { "/h264", Codec.H264, "H.264" }, { "/h265", Codec.H265, "H.265" },
                { "/mjpeg", Codec.MJPEG, "Motion JPEG" } };
        for (Object[] c : cases) {
            long t0 = System.nanoTime();
            ProbeResult r = probe(cam.url((String) c[0]));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String what = c[0] + ": " + r.summary();
            assertTrue(r.recordable(), what);
            assertEquals(Optional.of(c[1]), r.codec(), what);
            assertEquals(WIDTH, r.width(), what);
            assertEquals(HEIGHT, r.height(), what);
            assertTrue(r.fps().isPresent() && Math.abs(r.fps().get() - 25) < 4, what);
            assertTrue(r.audio().isEmpty(), what);
            assertTrue(r.summary().startsWith(c[2] + " 704x576 "), what);
            assertTrue(r.summary().endsWith(", no audio — recordable"), what);
            VideoFrame f = r.snapshot().orElseThrow(() -> new AssertionError("no picture: " + what));
            assertEquals(440, f.width(), what);
            assertEquals(360, f.height(), what);
            assertTrue(distinctColours(f) > 50, what + ": the picture is blank (" + distinctColours(f) + " colours)");
            Report.line(context, "connection test of " + c[0] + " (704x576): " + ms + " ms to " + r.summary());
        }
    }

    @Test
    void theAudioACameraSendsIsNamedAndOnlyAacCountsAsRecorded() throws Exception {
        ProbeResult aac = probe(cam.url("/h264-aac"));
        assertTrue(aac.recordable() && aac.aacAudio(), aac.summary());
        assertTrue(aac.summary().contains(", AAC audio — recordable"), aac.summary());
        ProbeResult pcma = probe(cam.url("/h264-pcma"));
        assertEquals(Optional.of("PCMA"), pcma.audio(), pcma.summary());
        assertFalse(pcma.aacAudio());
        assertTrue(pcma.summary().contains(", PCMA audio (not recorded) — recordable"), pcma.summary());
    }

    @Test
    void wrongUrlsGetTheRecordersReasonWithinTheTimeGiven() throws Exception {
        // a port where nothing accepts connections, held by a bound socket that does not listen (see BadInputTest)
        try (java.net.Socket refusing = new java.net.Socket();
                FakeServer garbage = new FakeServer(FakeServer.Mode.GARBAGE);
                FakeServer silent = new FakeServer(FakeServer.Mode.SILENT)) {
            refusing.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int closedPort = refusing.getLocalPort();
            Object[][] cases = { { cam.url("/no-such-stream"), "has no stream at this path (404 Not Found)" },
                    { cam.securedUrl("vigil:hunter2"), "refused the user name or password (401 Unauthorized)" },
                    { cam.securedUrl(null), "refused the user name or password (401 Unauthorized)" },
                    { "rtsp://127.0.0.1:" + closedPort + "/stream", "Nothing accepts connections at 127.0.0.1:"
                            + closedPort },
                    { garbage.url(), "does not answer like an RTSP camera" },
                    { cam.url("/audio"), "has no video (only audio or data)" } };
            for (Object[] c : cases) {
                String url = (String) c[0];
                long t0 = System.nanoTime();
                ProbeResult r = Await.result(h.cameras.probe(url, Transport.TCP, Codec.AUTO, Duration.ofSeconds(5)),
                        WAIT);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String reason = r.failure().orElseThrow(() -> new AssertionError(url + " is not refused"));
                assertTrue(reason.contains((String) c[1]), url + ": " + reason);
                assertEquals(reason, r.summary(), "the summary is the reason when no video was found");
                assertFalse(r.recordable() || r.snapshot().isPresent(), url);
                assertFalse(r.url().contains("hunter2") || reason.contains("hunter2"), "no password shown: " + reason);
                assertTrue(ms < 5_000 + 2_000, url + " took " + ms + " ms");
            }
            long t0 = System.nanoTime();
            ProbeResult r = Await.result(h.cameras.probe(silent.url(), Transport.TCP, Codec.AUTO,
                    Duration.ofSeconds(3)), WAIT);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Optional.of("The camera at 127.0.0.1:" + silent.port() + " did not answer within 3 s."),
                    r.failure());
            assertTrue(ms >= 2_900 && ms < 3_000 + 2_000, "the silent camera's test took " + ms + " ms");
        }
        ProbeResult right = probe(cam.securedUrl("vigil:secret"));
        assertTrue(right.recordable(), "the right password passes: " + right.summary());
        assertEquals("rtsp://vigil:***@127.0.0.1:" + (cam.port() + 1) + "/h264", right.url());

        ProbeResult mismatch = Await.result(h.cameras.probe(cam.url("/h265"), Transport.TCP, Codec.H264,
                Duration.ofSeconds(5)), WAIT);
        assertEquals(Optional.of("The camera sends H265 but its codec is set to H264; set the codec to auto (or"
                + " h265)."), mismatch.failure());
        assertTrue(mismatch.summary().startsWith("H.265, no audio — not recordable: The camera sends H265"),
                mismatch.summary());
    }

    @Test
    void badArgumentsAreRefusedWithOneSentence() {
        IllegalArgumentException notRtsp = assertThrows(IllegalArgumentException.class,
                () -> h.cameras.probe("http://127.0.0.1/video"));
        assertEquals("The camera URL 'http://127.0.0.1/video' must start with rtsp:// or rtsps://; give a URL like"
                + " rtsp://host:554/stream.", notRtsp.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> h.cameras.probe(cam.url("/h264"), Transport.TCP, Codec.AUTO, Duration.ofMinutes(5)));
        assertEquals("A connection test may take 1 to 60 seconds, not 300000 ms.", tooLong.getMessage());
    }

    @Test
    void aCancelledTestLetsGoOfItsConnectionAtOnce() throws Exception {
        try (FakeServer silent = new FakeServer(FakeServer.Mode.SILENT)) {
            CompletableFuture<ProbeResult> f = h.cameras.probe(silent.url(), Transport.TCP, Codec.AUTO,
                    Duration.ofSeconds(30));
            assertTrue(Await.until(Duration.ofSeconds(5), () -> silent.clients() > 0), "the test connects");
            long t0 = System.nanoTime();
            assertTrue(f.cancel(true));
            assertTrue(Await.until(Duration.ofSeconds(3), () -> TestAccess.runningProbes(h.cameras) == 0),
                    "the cancelled test's pipeline is released");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(f.isCancelled());
            Report.line(context, "connection test cancelled: pipeline released " + ms + " ms after the cancel");
        }
    }

    @Test
    void testingACameraThatIsRecordedLeavesItsRecordingWithoutAGap() throws Exception {
        String id = "probe-rec";
        String url = cam.url("/h264");
        h.add(id, url, "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers(id).writing()), "recording");
        int session = numbers(id).session();
        for (int i = 0; i < 5; i++) {
            ProbeResult r = probe(url);
            assertTrue(r.recordable() && r.snapshot().isPresent(), "test " + i + ": " + r.summary());
        }
        assertEquals(session, numbers(id).session(), "the recorder kept its connection");
        assertEquals(0, numbers(id).reconnects());
        assertEquals(CameraState.RECORDING, h.cameras.status(id).orElseThrow().state());
        int closedBefore = h.segments(id).size();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> h.segments(id).size() > closedBefore));
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        assertTrue(segs.size() >= 2, "segments: " + segs.size());
        for (int i = 0; i + 1 < segs.size(); i++) {
            assertEquals(segs.get(i).end(), segs.get(i + 1).start(), "no gap after segment " + i);
        }
        for (ClosedSegment s : segs) {
            Media.Probe p = Media.probe(s.path());
            assertTrue(p.playable() && p.firstIsKey(), s.path() + ": " + p);
        }
    }

    @Test
    void twentyTestsLeaveThreadsOpenFilesAndPinnedObjectsFlat() throws Exception {
        String good = cam.url("/h264");
        String missing = cam.url("/missing");
        probe(good); // warm-up: codec and decoder libraries, scheduler threads
        probe(missing);
        Reading base = settle();
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            ProbeResult r = probe(i % 4 == 3 ? missing : good);
            assertEquals(i % 4 != 3, r.recordable(), "test " + i + ": " + r.summary());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        settle();
        // idle threads of the scheduler and of GStreamer's task pool end a moment after their work: wait for them
        Await.until(Duration.ofSeconds(10), () -> ProcessProbe.threads() - base.threads <= THREAD_SLACK
                && ProcessProbe.openFileDescriptors() - base.fds <= FD_SLACK);
        Reading after = settle();
        String figures = ROUNDS + " connection tests (3 in 4 with a picture, 1 in 4 a 404) in " + ms + " ms: fds "
                + base.fds + " -> " + after.fds + ", threads " + base.threads + " -> " + after.threads
                + ", pinned " + base.pinned + " -> " + after.pinned + ", rss " + base.rssMiB + " -> "
                + after.rssMiB + " MiB";
        Report.line(context, figures);
        System.out.println("open files now: " + ProcessProbe.openFileKinds());
        assertTrue(after.fds - base.fds <= FD_SLACK, "open files grew: " + figures);
        assertTrue(after.threads - base.threads <= THREAD_SLACK, "threads grew: " + figures);
        assertTrue(after.pinned <= base.pinned + 2, "gst1-java-core pins more objects: " + figures);
    }

    private record Reading(int fds, int threads, int pinned, long rssMiB) {
    }

    /** Readings once no test runs any more. */
    private static Reading settle() throws InterruptedException {
        assertTrue(Await.until(Duration.ofSeconds(10), () -> TestAccess.runningProbes(h.cameras) == 0),
                "every test's pipeline is released");
        System.gc();
        return new Reading(ProcessProbe.openFileDescriptors(), ProcessProbe.threads(), GstProbe.pinnedObjects(),
                ProcessProbe.rssMiB());
    }

    @Test
    void theCommandSaysWhatTheCameraSendsOrWhyNot() throws Exception {
        CameraSubcommand probe = subcommand("probe");
        Invocation ok = Invocation.run(probe, false, cam.url("/h264"));
        assertEquals(0, ok.exitCode, ok.output());
        assertEquals(cam.url("/h264") + ": H.264 704x576 25 fps, no audio — recordable", ok.output().strip());
        Invocation json = Invocation.run(probe, true, cam.url("/h265"), "--timeout", "5");
        assertEquals(0, json.exitCode, json.output());
        assertTrue(json.output().contains("\"codec\": \"h265\"") && json.output().contains("\"width\": 704")
                && json.output().contains("\"snapshot\": \"440x360\""), json.output());
        Invocation refused = Invocation.run(probe, false, cam.securedUrl("vigil:hunter2"));
        assertEquals(1, refused.exitCode);
        assertTrue(refused.output().startsWith("rtsp://vigil:***@127.0.0.1:" + (cam.port() + 1) + "/h264: The camera"
                + " at 127.0.0.1:" + (cam.port() + 1) + " refused the user name or password"), refused.output());
    }

    private static CameraSubcommand subcommand(String name) throws Exception {
        for (ServiceReference<CameraSubcommand> r : context.getServiceReferences(CameraSubcommand.class, null)) {
            CameraSubcommand c = context.getService(r);
            if (c != null && c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no 'camera " + name + "' subcommand");
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }

    /** Distinct colours among the picture's pixels (a blank or single-colour picture has 1 or 2). */
    static int distinctColours(VideoFrame f) {
        ByteBuffer p = f.pixels().duplicate();
        int start = p.position();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < f.height(); y += 3) {
            for (int x = 0; x < f.width(); x += 3) {
                int i = start + y * f.stride() + x * 4;
                colours.add((p.get(i) & 0xFF) | (p.get(i + 1) & 0xFF) << 8 | (p.get(i + 2) & 0xFF) << 16);
            }
        }
        return colours.size();
    }
}
