package org.vigil.gst.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.platform.Registration;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.Samples;
import org.vigil.gst.Teardown;
import org.vigil.gst.internal.GstThreads;
import org.vigil.testing.Await;
import org.vigil.testing.GstProbe;

class ManagedPipelineTest {
    static final String LIVE_H264 = "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 "
            + "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 ! h264parse "
            + "! appsink name=sink emit-signals=true max-buffers=2 drop=true sync=false";

    @InjectService(timeout = 10000)
    GstRuntime runtime;

    /** Holds what a listener captures, to see it become garbage after the release. */
    static final class Camera {
        final AtomicInteger frames = new AtomicInteger();
    }

    @Test
    void aReleasedPipelineLeavesNoListenerBehind() throws Exception {
        ManagedPipeline p = runtime.parse("release-test", LIVE_H264);
        Bus bus = p.pipeline().getBus();
        AppSink sink = p.element("sink", AppSink.class);
        AtomicReference<String> caps = new AtomicReference<>();
        CountDownLatch first = new CountDownLatch(1);
        WeakReference<Camera> weakCamera = connectListeners(p, sink, caps, first);
        assertEquals(4, p.connectedListeners());
        assertEquals(3, GstProbe.busListeners(bus));
        assertTrue(GstProbe.busWatch(bus));

        p.play();
        assertTrue(first.await(15, TimeUnit.SECONDS), "a frame within 15 s");
        assertEquals("video/x-h264 320x240", caps.get());

        Teardown t = p.release(Duration.ofSeconds(5));
        assertTrue(t.firstRelease());
        assertTrue(t.eosSent() && t.eosReceived(), "EOS reached the bus: " + t);
        assertTrue(t.reachedNull(), t.toString());
        assertEquals(4, t.listenersDisconnected());
        assertTrue(t.proxiesDisposed() >= 2, t.toString());
        assertEquals(0, p.connectedListeners());
        assertEquals(0, GstProbe.busListeners(bus), "no bus listener left");
        assertFalse(GstProbe.busWatch(bus), "no bus watch left (it would pin the bus and the listeners)");
        assertFalse(GstProbe.pinned(bus) || GstProbe.pinned(sink) || GstProbe.pinned(p.pipeline()),
                "nothing pinned by toggle references");

        Teardown again = p.release(Duration.ofSeconds(5));
        assertFalse(again.firstRelease(), "idempotent");
        p.close();
        assertThrows(IllegalStateException.class, () -> p.onEos(source -> { }));

        // what the listeners captured can now be collected: nothing native refers to it any more
        assertTrue(Await.until(Duration.ofSeconds(10), () -> {
            System.gc();
            return weakCamera.get() == null;
        }), "the listeners' captured state is garbage after the release");
    }

    /** Connects four listeners that capture a {@link Camera} only they refer to. */
    private static WeakReference<Camera> connectListeners(ManagedPipeline p, AppSink sink, AtomicReference<String> caps,
            CountDownLatch first) {
        Camera camera = new Camera();
        p.onNewSample(sink, s -> {
            Samples.pull(s, (c, data, pts) -> {
                Structure st = c.getStructure(0);
                caps.compareAndSet(null, st.getName() + " " + st.getInteger("width") + "x" + st.getInteger("height"));
                return data.remaining();
            });
            camera.frames.incrementAndGet();
            first.countDown();
            return FlowReturn.OK;
        });
        p.onError((source, code, message) -> camera.frames.set(-1_000_000));
        p.onEos(source -> camera.frames.incrementAndGet());
        p.onMessage((b, m) -> camera.frames.get());
        return new WeakReference<>(camera);
    }

    @Test
    void aRegistrationDisconnectsItsListenerEarly() throws Exception {
        try (ManagedPipeline p = runtime.parse("registration-test", LIVE_H264)) {
            Bus bus = p.pipeline().getBus();
            Registration r = p.onStateChanged((source, old, current, pending) -> { });
            Registration keep = p.onError((source, code, message) -> { });
            assertEquals(2, GstProbe.busListeners(bus));
            r.close();
            r.close();
            assertEquals(1, GstProbe.busListeners(bus));
            assertEquals(1, p.connectedListeners());
            keep.close();
            assertEquals(0, GstProbe.busListeners(bus));
        }
    }

    @Test
    void releasingOnTheBusThreadDoesNotWaitForEndOfStream() throws Exception {
        ManagedPipeline p = runtime.parse("bus-thread-test", LIVE_H264);
        AppSink sink = p.element("sink", AppSink.class);
        CountDownLatch playing = new CountDownLatch(1);
        AtomicReference<Teardown> fromBus = new AtomicReference<>();
        AtomicReference<Boolean> onBusThread = new AtomicReference<>();
        CountDownLatch released = new CountDownLatch(1);
        p.onNewSample(sink, s -> {
            Samples.pull(s, (c, d, pts) -> 0);
            playing.countDown();
            return FlowReturn.OK;
        });
        p.onEos(source -> {
            // on the bus thread, the pipeline still PLAYING: a release must not wait for another EOS here
            onBusThread.set(GstThreads.isBusThread());
            fromBus.set(p.release(Duration.ofSeconds(30)));
            released.countDown();
        });
        p.play();
        assertTrue(playing.await(15, TimeUnit.SECONDS));
        assertTrue(p.pipeline().sendEvent(new EOSEvent()));
        assertTrue(released.await(10, TimeUnit.SECONDS), "released from a bus listener without a 30 s EOS wait");
        assertEquals(Boolean.TRUE, onBusThread.get());
        Teardown t = fromBus.get();
        assertNotNull(t);
        assertFalse(t.eosSent(), "no EOS wait on the bus thread");
        assertTrue(t.reachedNull());
        assertTrue(t.took().compareTo(Duration.ofSeconds(5)) < 0, t.toString());
        assertTrue(p.isReleased());
    }

    @Test
    void aPipelineThatFailedIsReleasedToo() throws Exception {
        ManagedPipeline p = runtime.parse("error-test", "filesrc location=/nonexistent/vigil.mp4 ! qtdemux ! fakesink");
        List<String> errors = new CopyOnWriteArrayList<>();
        p.onError((source, code, m) -> errors.add(m));
        p.play();
        // GStreamer may also post a generic "state change failed" error, before or after the real one
        assertTrue(Await.until(Duration.ofSeconds(10), () -> errors.stream().anyMatch(
                m -> m.toLowerCase(Locale.ROOT).contains("not found") || m.toLowerCase(Locale.ROOT).contains("no such"))),
                "the missing file is reported: " + errors);
        Teardown t = p.release(Duration.ofSeconds(2));
        assertFalse(t.eosSent(), "a pipeline that never played gets no EOS");
        assertTrue(t.reachedNull());
        assertEquals(1, t.listenersDisconnected());
    }
}
