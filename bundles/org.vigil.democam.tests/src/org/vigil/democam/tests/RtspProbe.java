package org.vigil.democam.tests;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.Samples;
import org.vigil.testing.Await;

/**
 * An RTSP client as Vigil's recorder builds it ({@code rtspsrc}, dynamic pad linked by hand, depayloader, parser,
 * appsink), released through {@link ManagedPipeline}: what a test reads from a demo camera mount.
 */
final class RtspProbe implements AutoCloseable {
    /** One sample as it arrived. */
    record Frame(String caps, String type, int width, int height, byte[] data, long arrivedNanos) {
    }

    private static final int KEEP = 8;

    private final ManagedPipeline pipeline;
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<String> error = new AtomicReference<>();
    private long startedNanos;

    /**
     * @param media {@code video} or {@code audio}: which of the camera's streams is linked
     * @param chain from the depayloader (named {@code depay}) to before the appsink
     */
    RtspProbe(GstRuntime gst, String url, String media, String chain, boolean keepData) throws Exception {
        pipeline = gst.parse("probe " + url, "rtspsrc name=src latency=0 protocols=tcp location=" + url + " " + chain
                + " ! appsink name=sink emit-signals=true sync=false max-buffers=4 drop=true");
        Element src = pipeline.element("src");
        Element depay = pipeline.element("depay");
        Pad depaySink = pipeline.staticPad(depay, "sink");
        AppSink sink = pipeline.element("sink", AppSink.class);
        pipeline.onPadAdded(src, (element, pad) -> {
            Caps caps = pad.getCurrentCaps();
            try {
                if (caps != null && caps.toString().contains("media=(string)" + media) && !depaySink.isLinked()) {
                    pad.link(depaySink);
                }
            } catch (PadLinkException e) {
                error.compareAndSet(null, "pad link failed: " + e.getLinkResult());
            } finally {
                if (caps != null) {
                    caps.dispose();
                }
            }
        });
        pipeline.onError((source, code, message) -> error.compareAndSet(null, message));
        pipeline.onNewSample(sink, s -> {
            long now = System.nanoTime();
            Frame f = Samples.pull(s, (caps, data, pts) -> frame(caps, data, now, keepData)).orElse(null);
            count.incrementAndGet();
            if (f != null && frames.size() < KEEP) {
                frames.add(f);
            }
            return FlowReturn.OK;
        });
    }

    private static Frame frame(Caps caps, ByteBuffer data, long now, boolean keepData) {
        Structure s = caps.getStructure(0);
        int width = s.hasField("width") ? s.getInteger("width") : 0;
        int height = s.hasField("height") ? s.getInteger("height") : 0;
        byte[] copy = null;
        if (keepData) {
            copy = new byte[data.remaining()];
            data.get(copy);
        }
        return new Frame(caps.toString(), s.getName(), width, height, copy, now);
    }

    /** A probe already playing. */
    static RtspProbe playing(GstRuntime gst, String url, String media, String chain, boolean keepData) throws Exception {
        RtspProbe p = new RtspProbe(gst, url, media, chain, keepData);
        try {
            p.play();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    RtspProbe play() {
        startedNanos = System.nanoTime();
        pipeline.play();
        return this;
    }

    /** Waits for {@code n} samples; they are in {@link #frames()}. */
    boolean await(int n, Duration timeout) throws InterruptedException {
        return Await.until(timeout, () -> frames.size() >= n || error.get() != null) && frames.size() >= n;
    }

    List<Frame> frames() {
        return frames;
    }

    int count() {
        return count.get();
    }

    String error() {
        return error.get();
    }

    Duration timeToFirstFrame() {
        return frames.isEmpty() ? Duration.ZERO : Duration.ofNanos(frames.get(0).arrivedNanos() - startedNanos);
    }

    @Override
    public void close() {
        pipeline.release(Duration.ZERO);
    }
}
