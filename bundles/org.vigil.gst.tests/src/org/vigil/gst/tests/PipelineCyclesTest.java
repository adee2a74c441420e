package org.vigil.gst.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.Samples;
import org.vigil.gst.Teardown;
import org.vigil.testing.Await;
import org.vigil.testing.GstProbe;
import org.vigil.testing.ProcessProbe;

/** Seed S1/S3/S7: building, playing and releasing a pipeline 200 times leaves threads and open files flat. */
class PipelineCyclesTest {
    static final int CYCLES = 200;
    static final int WARM_UP = 20;
    /** Slack for GLib's thread pool, which keeps a few idle threads for up to 15 s. */
    static final int THREAD_SLACK = 4;
    static final int FD_SLACK = 2;

    @InjectService(timeout = 10000)
    GstRuntime runtime;

    @InjectBundleContext
    BundleContext context;

    record Reading(int cycle, int fds, int threads, int pinned, long millis) {
    }

    @Test
    void twoHundredCyclesKeepThreadsAndOpenFilesFlat() throws Exception {
        List<Reading> readings = new ArrayList<>();
        long t0 = System.nanoTime();
        long firstFrameNanos = 0;
        int eosReceived = 0;
        for (int i = 1; i <= CYCLES; i++) {
            ManagedPipeline p = runtime.parse("cycle-" + i, ManagedPipelineTest.LIVE_H264);
            try {
                AppSink sink = p.element("sink", AppSink.class);
                CountDownLatch first = new CountDownLatch(1);
                AtomicInteger frames = new AtomicInteger();
                p.onNewSample(sink, s -> {
                    Samples.pull(s, (caps, data, pts) -> data.remaining());
                    frames.incrementAndGet();
                    first.countDown();
                    return FlowReturn.OK;
                });
                p.onError((source, code, message) -> first.countDown());
                long start = System.nanoTime();
                p.play();
                assertTrue(first.await(15, TimeUnit.SECONDS), "cycle " + i + ": a frame within 15 s");
                assertTrue(frames.get() > 0, "cycle " + i + ": an error instead of a frame");
                firstFrameNanos += System.nanoTime() - start;
                // odd cycles stop like a recorder (EOS, bounded wait), even ones like a live view (straight to NULL)
                Teardown t = p.release(i % 2 == 1 ? Duration.ofSeconds(5) : Duration.ZERO);
                assertTrue(t.reachedNull(), "cycle " + i + ": " + t);
                assertEquals(2, t.listenersDisconnected(), "cycle " + i);
                if (t.eosReceived()) {
                    eosReceived++;
                }
            } finally {
                p.close();
            }
            if (i == WARM_UP || i % 25 == 0) {
                readings.add(new Reading(i, ProcessProbe.openFileDescriptors(), ProcessProbe.threads(),
                        GstProbe.pinnedObjects(), (System.nanoTime() - t0) / 1_000_000));
            }
        }
        String report = report(readings, firstFrameNanos / CYCLES / 1_000_000, eosReceived);
        System.out.println(report);
        write(report);

        // a leak grows with every cycle (180 after the warm-up); a transient file or pool thread comes and goes
        Reading base = readings.get(0);
        for (Reading r : readings) {
            assertTrue(r.fds() - base.fds() <= 2 * FD_SLACK, "open files grew: " + report);
            assertTrue(r.threads() - base.threads() <= 2 * THREAD_SLACK, "threads grew: " + report);
            assertTrue(r.pinned() <= base.pinned(), "gst1-java-core pins more objects: " + report);
        }
        assertTrue(Await.until(Duration.ofSeconds(5), () -> ProcessProbe.openFileDescriptors() - base.fds() <= FD_SLACK),
                "open files after the last cycle: " + ProcessProbe.openFileDescriptors() + "\n" + report);
        assertTrue(Await.until(Duration.ofSeconds(20), () -> ProcessProbe.threads() - base.threads() <= THREAD_SLACK),
                "threads after the last cycle: " + ProcessProbe.threads() + "\n" + report);
        assertEquals(CYCLES / 2, eosReceived, "every EOS stop saw its end-of-stream");
    }

    private static String report(List<Reading> readings, long avgFirstFrameMs, int eos) {
        StringBuilder sb = new StringBuilder("Pipeline cycles (videotestsrc 320x240 ! x264enc ! appsink), average time "
                + "to first frame " + avgFirstFrameMs + " ms, EOS stops completed " + eos + "/" + CYCLES / 2 + "\n");
        sb.append("cycle  fds  threads  pinned  elapsed_ms\n");
        for (Reading r : readings) {
            sb.append(String.format("%5d %4d %8d %7d %11d%n", r.cycle(), r.fds(), r.threads(), r.pinned(), r.millis()));
        }
        return sb.toString();
    }

    private void write(String report) throws IOException {
        String data = context.getProperty("vigil.data");
        if (data != null) {
            Path dir = Files.createDirectories(Path.of(data));
            Files.writeString(dir.resolve("pipeline-cycles.txt"), report);
        }
    }
}
