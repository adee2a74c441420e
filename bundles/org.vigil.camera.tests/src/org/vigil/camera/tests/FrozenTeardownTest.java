package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * The 60-minute fault soak found a 3.9 s hole in one camera's recording while another camera was frozen (SIGSTOP)
 * and torn down (issue 22, item 6): a frozen camera's teardown must never stall another camera. Camera A is frozen
 * while both record, found frozen by its watchdog, torn down and retried while it stays frozen; camera B records on
 * in one connection whose segments follow each other without a gap (how late its segments were announced is
 * measured, not asserted: a loaded disk's fsync alone can take seconds). This did not reproduce the soak's hole
 * (two cameras here, four with audio and a sub-stream there); it guards the property the soak found broken.
 */
class FrozenTeardownTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, FrozenTeardownTest.class);
        h = new Harness(context, "frozen-teardown");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aFrozenCamerasTeardownDoesNotStallAnotherCamera() throws Exception {
        try (TestCamera camA = TestCamera.start(h.work.resolve("cam-a"), 320, 180, 25, 25);
                TestCamera camB = TestCamera.start(h.work.resolve("cam-b"), 320, 180, 25, 25)) {
            String a = "ft-a";
            String b = "ft-b";
            h.add(a, camA.url("/h264"), "segmentSeconds", 2, "watchdogSeconds", 2, "reconnectMinSeconds", 1,
                    "reconnectMaxSeconds", 2);
            h.add(b, camB.url("/h264"), "segmentSeconds", 1);
            h.awaitState(a, CameraState.RECORDING, Duration.ofSeconds(30));
            h.awaitState(b, CameraState.RECORDING, Duration.ofSeconds(30));
            h.awaitSegments(b, 2, Duration.ofSeconds(30));
            long bReconnects = TestAccess.numbers(h.cameras, b).orElseThrow().reconnects();
            int before = h.segments(b).size();

            long frozenAt = System.nanoTime();
            camA.freeze();
            h.awaitState(a, CameraState.RECONNECTING, Duration.ofSeconds(15));
            // stay frozen through the teardown and a few attempts against the frozen server
            long lagMost = 0;
            int stoppingMost = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int seen = before;
            while (System.nanoTime() < until) {
                List<ClosedSegment> segs = h.segments(b);
                for (int i = seen; i < segs.size(); i++) {
                    // announced this long after the segment's end (the segment announcement is the catalog row)
                    long lag = Duration.between(segs.get(i).end(), Instant.now()).toMillis();
                    lagMost = Math.max(lagMost, lag);
                }
                seen = segs.size();
                stoppingMost = Math.max(stoppingMost, TestAccess.numbers(h.cameras, a).orElseThrow()
                        .stoppingSessions());
                Thread.sleep(100);
            }
            camA.thaw();
            long thawedAt = System.nanoTime();
            h.awaitState(a, CameraState.RECORDING, Duration.ofSeconds(40));

            List<ClosedSegment> bs = h.segments(b);
            for (int i = 0; i + 1 < bs.size(); i++) {
                assertEquals(bs.get(i).end(), bs.get(i + 1).start(), "no hole in the other camera after segment "
                        + i + " of " + bs.size());
            }
            assertEquals(bReconnects, TestAccess.numbers(h.cameras, b).orElseThrow().reconnects(),
                    "the other camera kept its connection: " + h.history(b));
            assertTrue(h.seen(b, CameraState.RECONNECTING, frozenAt).isEmpty(), h.history(b));
            assertTrue(bs.size() - before >= 10, "the other camera closed a segment a second throughout the freeze: "
                    + (bs.size() - before));
            Report.line(context, "camera A frozen (SIGSTOP) for " + TimeUnit.NANOSECONDS.toSeconds(thawedAt - frozenAt)
                    + " s and torn down: the other camera's segments announced at most " + lagMost + " ms after their"
                    + " end; at most " + stoppingMost + " of A's sessions stopping at once");
        }
    }
}
