package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.StorageState;
import org.vigil.camera.internal.TestAccess;
import org.vigil.gst.GstRuntime;
import org.vigil.testing.Await;

/**
 * Settings apply live, to the one camera they belong to: recording off and on, the segment length, disabling,
 * a new URL; the storage pausing and resuming recording; and no camera runs in a framework that does not record.
 */
class ConfigChangeTest {
    @InjectBundleContext
    static BundleContext context;

    @InjectService(timeout = 10000)
    Scheduler scheduler;

    @InjectService(timeout = 10000)
    GstRuntime gst;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, ConfigChangeTest.class);
        h = new Harness(context, "config-change");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void settingsChangesApplyToTheirCameraOnly() throws Exception {
        h.add("cc-a", DemoCam.url(context, "url.h264"), "segmentSeconds", 4);
        h.add("cc-b", DemoCam.url(context, "url.mjpeg"), "segmentSeconds", 4);
        h.awaitState("cc-a", CameraState.RECORDING, Duration.ofSeconds(20));
        h.awaitState("cc-b", CameraState.RECORDING, Duration.ofSeconds(20));
        int b = numbers("cc-b").session();

        h.set("cc-a", "record", false);
        h.awaitState("cc-a", CameraState.STREAMING, Duration.ofSeconds(20));

        // a new segment length applies from the next cut, in the same connection
        h.set("cc-b", "segmentSeconds", 2);
        int before = h.segments("cc-b").size();
        assertTrue(Await.until(Duration.ofSeconds(20), () -> h.segments("cc-b").size() >= before + 3));
        List<ClosedSegment> segs = h.segments("cc-b");
        ClosedSegment last = segs.get(segs.size() - 1);
        assertEquals(2.0, Duration.between(last.start(), last.end()).toMillis() / 1000.0, 0.1,
                "2 s segments now: " + last);

        h.set("cc-a", "enabled", false);
        h.awaitState("cc-a", CameraState.DISABLED, Duration.ofSeconds(20));
        h.set("cc-a", "enabled", true, "record", true, "url", DemoCam.url(context, "url.mjpeg"));
        h.awaitState("cc-a", CameraState.RECORDING, Duration.ofSeconds(20));
        h.remove("cc-a");

        assertEquals(b, numbers("cc-b").session(), "camera b kept its connection: " + h.history("cc-b"));
        assertEquals(0, numbers("cc-b").reconnects());
        assertEquals(CameraState.RECORDING, h.cameras.status("cc-b").orElseThrow().state());
        h.remove("cc-b");
    }

    @Test
    void recordingPausesWhileTheStorageCannotWriteAndResumesByItself() throws Exception {
        h.add("cc-disk", DemoCam.url(context, "url.h264"), "segmentSeconds", 60);
        h.awaitState("cc-disk", CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers("cc-disk").writing()));
        int before = h.segments("cc-disk").size();
        h.storage.setState(StorageState.FULL, "The recordings disk is full; the oldest recordings are being deleted.");
        CameraStatus paused = h.awaitState("cc-disk", CameraState.OFFLINE, Duration.ofSeconds(10));
        assertTrue(paused.reason().orElse("").contains("disk is full"), paused.toString());
        assertTrue(Await.until(Duration.ofSeconds(10), () -> h.segments("cc-disk").size() > before),
                "the open segment was closed");
        h.storage.setState(StorageState.READY, "");
        h.awaitState("cc-disk", CameraState.RECORDING, Duration.ofSeconds(20));
        h.remove("cc-disk");
    }

    @Test
    void noCameraRunsInAFrameworkThatDoesNotRecord() throws Exception {
        List<CameraStatus> seen = new CopyOnWriteArrayList<>();
        AutoCloseable s = TestAccess.supervisor(Map.of("id", "cc-cmd", "url", "rtsp://127.0.0.1:1/x"),
                VigilMode.COMMAND, scheduler, gst, seen::add);
        try {
            assertTrue(Await.until(Duration.ofSeconds(5), () -> !seen.isEmpty()
                    && seen.get(seen.size() - 1).reason().isPresent()));
            CameraStatus last = seen.get(seen.size() - 1);
            assertEquals(CameraState.DISABLED, last.state());
            assertTrue(last.reason().orElse("").contains("only by a running recorder"), last.toString());
        } finally {
            s.close();
        }
        assertTrue(seen.stream().noneMatch(x -> x.state() == CameraState.CONNECTING), "it never connected");
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
