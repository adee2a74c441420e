package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * Live pictures on demand: a decode branch is attached while someone watches (at the size asked, BGRx), detached
 * after the last viewer leaves, never disturbs the recording, never queues frames for a slow viewer, and uses the
 * sub-stream when the camera has one unless the main stream is asked for.
 */
class LiveFeedTest {
    static final int ROUNDS = 20;

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, LiveFeedTest.class);
        h = new Harness(context, "live");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void subscribingAndUnsubscribingManyTimesNeverDisturbsTheRecording() throws Exception {
        String id = "live-main";
        h.add(id, DemoCam.url(context, "url.h264"), "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers(id).writing()), "recording");
        int session = numbers(id).session();
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            int w = i % 2 == 0 ? 320 : 160;
            int hgt = i % 2 == 0 ? 180 : 90;
            List<VideoFrame> frames = new CopyOnWriteArrayList<>();
            Registration r = h.live.subscribe(id, w, hgt, frames::add);
            Registration second = i % 4 == 0 ? h.live.subscribe(id, 64, 36, f -> { }) : null;
            assertTrue(Await.until(Duration.ofSeconds(10), () -> !frames.isEmpty()), "round " + i + ": a frame");
            VideoFrame f = frames.get(0);
            assertEquals(w, f.width());
            assertEquals(hgt, f.height());
            assertEquals(w * 4, f.stride());
            assertEquals(w * hgt * 4, f.pixels().remaining());
            assertEquals(id, f.cameraId());
            r.close();
            r.close(); // harmless twice
            if (second != null) {
                second.close();
            }
            assertTrue(Await.until(Duration.ofSeconds(5), () -> numbers(id).liveBranches() == 0),
                    "round " + i + ": the decode branch is detached after the last viewer left");
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, numbers(id).viewers());
        assertEquals(0, TestAccess.liveSubscriptions(h.cameras));
        // the recording went on in the same connection, and its segments follow each other without a gap
        assertEquals(session, numbers(id).session(), "no reconnect while viewers came and went");
        assertEquals(0, numbers(id).reconnects());
        int closedBefore = h.segments(id).size();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> h.segments(id).size() > closedBefore));
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        assertTrue(segs.size() >= 3, "segments: " + segs.size());
        for (int i = 0; i < segs.size(); i++) {
            Media.Probe p = Media.probe(segs.get(i).path());
            assertTrue(p.playable() && p.firstIsKey(), segs.get(i).path() + ": " + p);
            assertEquals(segs.get(i).frames(), p.packets(), segs.get(i).path() + " frames");
            if (i + 1 < segs.size()) {
                assertEquals(segs.get(i).end(), segs.get(i + 1).start(), "no gap after segment " + i);
            }
        }
        Report.line(context, "live view: " + ROUNDS + " subscribe/first frame/unsubscribe rounds in " + millis
                + " ms while recording, " + segs.size() + " contiguous segments, no reconnect");
    }

    @Test
    void aSlowViewerGetsTheNewestFramesAndNothingQueuesUp() throws Exception {
        String id = "live-slow";
        h.add(id, DemoCam.url(context, "url.h264"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        List<VideoFrame> got = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Registration r = h.live.subscribe(id, 160, 90, f -> {
            calls.incrementAndGet();
            got.add(f);
            try {
                Thread.sleep(250); // a viewer that needs 250 ms per picture (4 fps) for a 25 fps camera
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(Await.until(Duration.ofSeconds(10), () -> !got.isEmpty()), "a first frame");
            long t0 = System.nanoTime();
            assertTrue(Await.until(Duration.ofSeconds(10), () -> got.size() >= 9));
            double seconds = (System.nanoTime() - t0) / 1e9;
            // at 4 frames a second the viewer sees every ~6th frame, each newer than the one before
            assertTrue(got.size() <= seconds * 4 + 3, got.size() + " frames in " + seconds + " s");
            for (int i = 1; i < got.size(); i++) {
                assertTrue(!got.get(i).time().isBefore(got.get(i - 1).time()), "newest first");
            }
        } finally {
            r.close();
        }
        int after = calls.get();
        assertTrue(Await.until(Duration.ofSeconds(5), () -> numbers(id).liveBranches() == 0));
        assertTrue(calls.get() <= after + 1, "no frames delivered after the subscription closed");
        h.remove(id);
    }

    @Test
    void aCameraWithASubStreamIsWatchedOnTheSubStream() throws Exception {
        String id = "live-sub";
        // main stream H.265, sub-stream MJPEG: the live view must come from the sub-stream's own pipeline
        h.add(id, DemoCam.url(context, "url.h265"), "subUrl", DemoCam.url(context, "url.mjpeg"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        assertTrue(!numbers(id).subStream());
        List<VideoFrame> frames = new CopyOnWriteArrayList<>();
        Registration r = h.live.subscribe(id, 320, 180, frames::add);
        assertTrue(Await.until(Duration.ofSeconds(15), () -> frames.size() >= 3), "frames from the sub-stream");
        assertTrue(numbers(id).subStream(), "the sub-stream pipeline runs while someone watches");
        int session = numbers(id).session();
        r.close();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> !numbers(id).subStream()), "and stops after");
        assertEquals(session, numbers(id).session(), "the main stream was not touched");
        h.remove(id);
    }

    @Test
    void theMainStreamCanBeAskedForEvenWhenTheCameraHasASubStream() throws Exception {
        String id = "live-full";
        h.add(id, DemoCam.url(context, "url.h264"), "subUrl", DemoCam.url(context, "url.mjpeg"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        int session = numbers(id).session();
        List<VideoFrame> full = new CopyOnWriteArrayList<>();
        Registration main = h.live.subscribe(id, 640, 360, LiveFeed.Stream.MAIN, full::add);
        assertTrue(Await.until(Duration.ofSeconds(15), () -> full.size() >= 3), "frames from the main stream");
        assertEquals(640, full.get(0).width());
        assertEquals(1, numbers(id).mainLiveBranches(), "decoded from the recording connection");
        assertFalse(numbers(id).subStream(), "no sub-stream connection for a main-stream viewer");

        List<VideoFrame> tile = new CopyOnWriteArrayList<>();
        Registration preview = h.live.subscribe(id, 320, 180, tile::add);
        assertTrue(Await.until(Duration.ofSeconds(15), () -> tile.size() >= 3), "frames from the sub-stream");
        assertTrue(numbers(id).subStream(), "the preview opened the sub-stream");
        assertEquals(1, numbers(id).mainLiveBranches(), "the preview is not decoded from the main stream");
        int before = full.size();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> full.size() > before + 3), "both flow at once");

        main.close();
        assertTrue(Await.until(Duration.ofSeconds(5), () -> numbers(id).mainLiveBranches() == 0),
                "the main stream's decode branch is detached after its viewer left");
        int tiles = tile.size();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> tile.size() > tiles + 3), "the preview goes on");
        preview.close();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> !numbers(id).subStream()), "the sub-stream stops");
        assertEquals(session, numbers(id).session(), "the main connection was never restarted");
        h.remove(id);
    }

    @Test
    void badSubscriptionsAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.live.subscribe("../etc", 320, 180, f -> { }));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> h.live.subscribe("cam", 0, 180, f -> { }));
        assertTrue(e.getMessage().contains("2 to 8192"), e.getMessage());
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
