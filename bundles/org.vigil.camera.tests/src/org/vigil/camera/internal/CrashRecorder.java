package org.vigil.camera.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.vigil.api.camera.Codec;
import org.vigil.api.camera.Transport;
import org.vigil.api.codec.BasicCodecPlugin;
import org.vigil.api.codec.Container;
import org.vigil.api.platform.Scheduler;
import org.vigil.gst.GstRuntime;

/**
 * The recorder's own pipeline (camera session and segment writer) in a process of its own, for the crash test:
 * {@code CrashRecorder <rtsp-url> <folder>} records 60 s segments into the folder and prints
 * {@code OPEN <epoch-millis of the first frame> <path>} for each new file, until it is killed.
 */
public final class CrashRecorder {
    private CrashRecorder() {
    }

    private static final class Plugin extends BasicCodecPlugin {
        Plugin(Codec codec, String encoding, String depay, String parse, String decoder, Container container) {
            super(codec, encoding, codec.name(), depay, parse, decoder, container);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path folder = Files.createDirectories(Path.of(args[1]));
        // the framework's GStreamer service, made by hand (its class is internal to org.vigil.gst)
        GstRuntime gst = (GstRuntime) Class.forName("org.vigil.gst.internal.SharedGstRuntime").getConstructor()
                .newInstance();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2);
        Scheduler scheduler = new Scheduler() {
            @Override
            public Future<?> execute(String name, Runnable task) {
                return pool.submit(task);
            }

            @Override
            public <T> Future<T> submit(String name, Callable<T> task) {
                return pool.submit(task);
            }

            @Override
            public ScheduledFuture<?> schedule(String name, Runnable task, Duration delay) {
                return pool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }

            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(String name, Runnable task, Duration initialDelay,
                    Duration period) {
                return pool.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
        CodecPlugins codecs = new CodecPlugins();
        codecs.addPlugin(new Plugin(Codec.H264, "H264", "rtph264depay", "h264parse", "avdec_h264", Container.MP4),
                Map.of());
        int[] n = { 0 };
        CameraSession.Plan plan = new CameraSession.Plan("crash", "main", url, Transport.TCP, Codec.AUTO, true,
                () -> Duration.ofSeconds(60), CameraSupervisor.FRAGMENT_MILLIS, (Instant start, Container c) -> {
                    Path p = folder.resolve(String.format("%03d.%s", n[0]++, c.extension()));
                    System.out.println("OPEN " + start.toEpochMilli() + " " + p);
                    System.out.flush();
                    return p;
                }, Duration.ofSeconds(10), java.time.Clock.systemDefaultZone());
        CameraSession.open(1, plan, codecs, gst, scheduler, new CameraSession.Events() {
            @Override
            public void receiving(CameraSession s) {
                System.out.println("RECEIVING");
            }

            @Override
            public void failed(CameraSession s, Failure f) {
                System.out.println("FAILED " + f.reason());
            }

            @Override
            public void segmentFinished(CameraSession s, SegmentWriter.FinishedSegment segment) {
                System.out.println("FINISHED " + segment.path());
            }

            @Override
            public void audioSkipped(CameraSession s, String encoding) {
            }

            @Override
            public void liveFailed(CameraSession s, String reason) {
            }
        });
        Thread.sleep(Long.MAX_VALUE);
    }
}
