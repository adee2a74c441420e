package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;
import org.vigil.testing.GstProbe;
import org.vigil.testing.ProcessProbe;

/**
 * Seed S1/S7: connecting and disconnecting a recording camera many times in one framework (settings switched on
 * and off through Configuration Admin) leaves threads, open files, pinned objects and listeners where they were.
 * 50 cycles here ({@code vigil.test.cycles}); {@code releng/bench/camera-cycles.sh} runs 500.
 */
class CyclesTest {
    static final int WARM_UP = 10;
    static final int THREAD_SLACK = 6;
    static final int FD_SLACK = 4;

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    record Reading(int cycle, int fds, int threads, int pinned, long rssKb, long heapKb, int registryListeners,
            int statusListeners, int sessionListeners) {
    }

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, CyclesTest.class);
        h = new Harness(context, "cycles");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void manyConnectDisconnectCyclesKeepThreadsFilesAndListenersFlat() throws Exception {
        int cycles = Only.intProperty(context, "vigil.test.cycles", 50);
        String id = "cycles";
        List<Reading> readings = new ArrayList<>();
        // the registry adds a listener on its notifier thread: the harness's own is counted once that has run
        Await.until("the harness's status listener is registered", Duration.ofSeconds(10),
                () -> TestAccess.registryListeners(h.cameras) >= 1);
        int registryAtStart = TestAccess.registryListeners(h.cameras);
        try (TestCamera cam = TestCamera.start(h.work, 320, 180, 25, 25)) {
            h.add(id, cam.url("/h264"), "enabled", false);
            h.awaitState(id, CameraState.DISABLED, Duration.ofSeconds(10));
            int maxSessionListeners = 0;
            long t0 = System.nanoTime();
            for (int i = 1; i <= cycles; i++) {
                h.set(id, "enabled", true);
                h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
                assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers(id).writing()), "a segment is open");
                maxSessionListeners = Math.max(maxSessionListeners, numbers(id).sessionListeners());
                // a cycle with a live viewer now and then: its branch must go too
                Registration viewer = i % 5 == 0 ? h.live.subscribe(id, 160, 90, frame -> { }) : null;
                int before = h.segments(id).size();
                h.set(id, "enabled", false);
                h.awaitState(id, CameraState.DISABLED, Duration.ofSeconds(20));
                assertTrue(Await.until(Duration.ofSeconds(10), () -> numbers(id).stoppingSessions() == 0
                        && h.segments(id).size() > before), "cycle " + i + ": stopped, segment closed");
                if (viewer != null) {
                    viewer.close();
                }
                if (i == WARM_UP || i % 10 == 0 || i == cycles) {
                    assertTrue(Await.until(Duration.ofSeconds(5), () -> numbers(id).viewers() == 0));
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    readings.add(new Reading(i, ProcessProbe.openFileDescriptors(), ProcessProbe.threads(),
                            GstProbe.pinnedObjects(), ProcessProbe.rssKb(),
                            (rt.totalMemory() - rt.freeMemory()) / 1024,
                            TestAccess.registryListeners(h.cameras), numbers(id).statusListeners(),
                            maxSessionListeners));
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            StringBuilder table = new StringBuilder("connect/disconnect cycles (record, 320x180 H.264, live viewer every"
                    + " 5th): " + cycles + " cycles in " + millis + " ms\ncycle  fds  threads  pinned  rss_MB  "
                    + "heap_MB  registry_listeners  camera_listeners  session_listeners\n");
            for (Reading r : readings) {
                table.append(String.format("%5d %4d %8d %7d %7d %8d %19d %17d %18d%n", r.cycle(), r.fds(),
                        r.threads(), r.pinned(), r.rssKb() / 1024, r.heapKb() / 1024, r.registryListeners(),
                        r.statusListeners(), r.sessionListeners()));
            }
            Report.line(context, table.toString().strip());
            System.out.println("open files now: " + ProcessProbe.openFileKinds());
            Reading base = readings.get(0);
            for (Reading r : readings) {
                assertTrue(r.fds() - base.fds() <= FD_SLACK, "open files grew: " + table);
                assertTrue(r.threads() - base.threads() <= THREAD_SLACK, "threads grew: " + table);
                assertTrue(r.pinned() <= base.pinned() + 2, "gst1-java-core pins more objects: " + table);
                assertEquals(1, r.statusListeners(), "the registry's one listener per camera: " + table);
                assertEquals(registryAtStart, r.registryListeners(), "registry listeners back to the start");
                assertTrue(r.sessionListeners() <= 8, "listeners per pipeline bounded: " + table);
            }
            List<ClosedSegment> segs = h.segments(id);
            assertTrue(segs.size() >= cycles, "a segment per cycle: " + segs.size());
            for (ClosedSegment s : segs.subList(segs.size() - 3, segs.size())) {
                Media.Probe p = Media.probe(s.path());
                assertTrue(p.playable() && p.firstIsKey(), s.path() + ": " + p);
            }
        }
    }

    private static TestAccess.Numbers numbers(String id) {
        return TestAccess.numbers(h.cameras, id).orElseThrow();
    }
}
