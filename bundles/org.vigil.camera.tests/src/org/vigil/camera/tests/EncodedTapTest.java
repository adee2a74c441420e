package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.EncodedFrame;
import org.vigil.api.camera.EncodedSink;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * The encoded tap (for re-streaming): the camera's frames as recorded, caps first and a keyframe first, from the
 * recording connection; the branch exists only while tapped, and taps coming and going never disturb the recording.
 */
class EncodedTapTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, EncodedTapTest.class);
        h = new Harness(context, "tap");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** What a tap received. */
    static final class Received implements EncodedSink {
        final List<String> formats = new CopyOnWriteArrayList<>();
        final List<EncodedFrame> frames = new CopyOnWriteArrayList<>();

        @Override
        public void format(String caps) {
            formats.add(caps);
        }

        @Override
        public void frame(EncodedFrame frame) {
            if (formats.isEmpty()) {
                throw new AssertionError("a frame before the caps");
            }
            frames.add(frame);
        }
    }

    @Test
    void aTapGetsTheRecordedFramesUndecodedAndComingAndGoingNeverDisturbsTheRecording() throws Exception {
        String id = "tap-main";
        h.add(id, DemoCam.url(context, "url.h264"), "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers(id).writing()), "recording");
        int session = numbers(id).session();
        for (int round = 0; round < 6; round++) {
            Received a = new Received();
            Received b = new Received();
            Registration ra = h.live.tapEncoded(id, LiveFeed.Stream.MAIN, a);
            Registration rb = round % 2 == 0 ? h.live.tapEncoded(id, LiveFeed.Stream.MAIN, b) : null;
            String r = "round " + round + ": ";
            Await.until(r + "30 frames", Duration.ofSeconds(15), () -> a.frames.size() >= 30);
            assertTrue(a.formats.get(0).startsWith("video/x-h264"), r + a.formats.get(0));
            assertTrue(a.formats.get(0).contains("stream-format=(string)avc"), r + a.formats.get(0));
            assertTrue(a.formats.get(0).contains("width=(int)" + DemoCam.WIDTH), r + a.formats.get(0));
            assertTrue(a.frames.get(0).keyframe(), r + "the first frame is a keyframe");
            assertEquals(1, TestAccess.tapBranches(h.cameras, id), r + "one branch however many taps");
            for (int i = 1; i < a.frames.size(); i++) {
                assertTrue(a.frames.get(i).dtsNanos() > a.frames.get(i - 1).dtsNanos()
                        || a.frames.get(i).ptsNanos() > a.frames.get(i - 1).ptsNanos(), r + "times go forward");
                assertTrue(a.frames.get(i).data().length > 0, r + "frame " + i + " has bytes");
            }
            long keyframes = a.frames.stream().filter(EncodedFrame::keyframe).count();
            assertTrue(keyframes >= 1 && keyframes < a.frames.size(), r + keyframes + " keyframes: not decoded pictures");
            ra.close();
            ra.close(); // harmless twice
            if (rb != null) {
                Await.until(r + "the second tap too", Duration.ofSeconds(10), () -> !b.frames.isEmpty());
                assertTrue(b.frames.get(0).keyframe(), r + "the second tap starts at a keyframe too");
                assertEquals(1, TestAccess.tapBranches(h.cameras, id), r + "still one branch");
                rb.close();
            }
            Await.until(r + "the branch is detached after the last tap closed", Duration.ofSeconds(5),
                    () -> TestAccess.tapBranches(h.cameras, id) == 0);
        }
        assertEquals(session, numbers(id).session(), "no reconnect while taps came and went");
        int closedBefore = h.segments(id).size();
        Await.until("one more segment", Duration.ofSeconds(10), () -> h.segments(id).size() > closedBefore);
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        assertTrue(segs.size() >= 2, "segments: " + segs.size());
        for (int i = 0; i + 1 < segs.size(); i++) {
            assertEquals(segs.get(i).end(), segs.get(i + 1).start(), "no gap after segment " + i);
        }
    }

    @Test
    void aTapOfAnUnknownIdIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.live.tapEncoded("../etc", LiveFeed.Stream.MAIN, new Received()));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
