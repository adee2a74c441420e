package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

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
 * A camera in its own process is killed (SIGKILL) or frozen (SIGSTOP) while recording: the open segment is closed
 * cleanly and playable, the loss is seen at once (killed) or within the watchdog time plus a second (frozen), and
 * recording resumes within the current reconnect delay plus a second of the camera being back.
 */
class ReconnectTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, ReconnectTest.class);
        h = new Harness(context, "reconnect");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aKilledCameraClosesTheSegmentAndIsRecordedAgainSoonAfterItComesBack() throws Exception {
        try (TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 25)) {
            String id = "rc-kill";
            h.add(id, cam.url("/h264"), "reconnectMinSeconds", 1, "reconnectMaxSeconds", 4);
            h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> frames(id) > 60), "frames arrive");
            long killed = System.nanoTime();
            cam.kill();
            CameraStatus lost = h.awaitState(id, CameraState.RECONNECTING, Duration.ofSeconds(10));
            long seen = h.seen(id, CameraState.RECONNECTING, killed).orElseThrow();
            List<ClosedSegment> segs = h.awaitSegments(id, 1, Duration.ofSeconds(10));
            Media.Probe p = Media.probe(segs.get(0).path());
            assertTrue(p.playable() && p.firstIsKey(), "the segment open at the kill is playable: " + p);
            assertEquals(segs.get(0).frames(), p.packets(), "every frame announced is in the file");
            // let a few attempts fail, then bring the camera back on the same port
            assertTrue(Await.until(Duration.ofSeconds(15), () -> numbers(id).reconnects() >= 2), "retries");
            Duration pending = numbers(id).lastBackoff();
            cam.launch(); // returns once it listens
            long back = System.nanoTime();
            pending = max(pending, numbers(id).lastBackoff());
            h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(40));
            long recording = h.seen(id, CameraState.RECORDING, back).orElseThrow();
            Duration detect = Duration.ofNanos(seen - killed);
            Duration reconnect = Duration.ofNanos(recording - back);
            Report.line(context, "camera killed: loss seen after " + detect.toMillis() + " ms (" + lost.reason()
                    .orElse("") + "); back to RECORDING " + reconnect.toMillis() + " ms after the camera listened"
                    + " again, current reconnect delay " + pending.toMillis() + " ms; closed segment " + p.frames()
                    + " frames, " + p.duration() + " s");
            assertTrue(detect.toMillis() < 2000, "a killed camera is noticed at once: " + detect);
            assertTrue(reconnect.compareTo(pending.plusSeconds(1)) <= 0, "recording again within the reconnect"
                    + " delay (" + pending.toMillis() + " ms) + 1 s: " + reconnect.toMillis() + " ms");
        }
    }

    @Test
    void aFrozenCameraIsDetectedWithinTheWatchdogTimeAndRecordedAgainWhenItThaws() throws Exception {
        try (TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 25)) {
            String id = "rc-freeze";
            h.add(id, cam.url("/h264"), "watchdogSeconds", 2, "reconnectMinSeconds", 1, "reconnectMaxSeconds", 2);
            h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> frames(id) > 60), "frames arrive");
            long frozen = System.nanoTime();
            cam.freeze();
            CameraStatus lost = h.awaitState(id, CameraState.RECONNECTING, Duration.ofSeconds(10));
            long seen = h.seen(id, CameraState.RECONNECTING, frozen).orElseThrow();
            Duration detect = Duration.ofNanos(seen - frozen);
            assertTrue(lost.reason().orElse("").contains("No video arrived for 2 s"), lost.toString());
            List<ClosedSegment> segs = h.awaitSegments(id, 1, Duration.ofSeconds(10));
            Media.Probe p = Media.probe(segs.get(0).path());
            assertTrue(p.playable() && p.firstIsKey(), "the segment open at the freeze is playable: " + p);
            long thawed = System.nanoTime();
            cam.thaw();
            h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(30));
            Duration back = Duration.ofNanos(h.seen(id, CameraState.RECORDING, thawed).orElseThrow() - thawed);
            Report.line(context, "camera frozen (SIGSTOP), watchdog 2 s: detected after " + detect.toMillis()
                    + " ms; recording again " + back.toMillis() + " ms after SIGCONT");
            assertTrue(detect.toMillis() <= 3000, "detected within watchdog + 1 s: " + detect.toMillis() + " ms");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static long frames(String id) {
        return h.cameras.statistics(id).map(s -> s.frames()).orElse(0L);
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
