package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.vigil.api.camera.VideoFrame;
import org.vigil.gst.Samples;

import com.sun.jna.Pointer;

/**
 * A decode branch on a camera pipeline's tee, for one picture size:
 * {@code queue (leaky) ! decoder ! videoscale ! videoconvert ! BGRx WxH ! appsink (1 buffer, drop)}. It is attached
 * while someone watches and detached when the last one leaves, without disturbing the recording branch: the leaky
 * queue decouples it from the tee's thread, the decoder never fails the pipeline (any error only detaches this
 * branch), and the appsink keeps just the newest picture. Frames before the first keyframe are dropped so that the
 * decoder starts clean.
 */
final class LiveBranch {
    static final String PREFIX = "live-";
    private static final Logger LOG = System.getLogger(LiveBranch.class.getName());

    private final String cameraId;
    private final int width;
    private final int height;
    private final Consumer<VideoFrame> frames;
    private final List<NativeObject> proxies = new ArrayList<>();
    private final AtomicBoolean detached = new AtomicBoolean();
    private Bin bin;
    private Element tee;
    private Pad teePad;
    private Pad binSink;
    private AppSink sink;
    private AppSink.NEW_SAMPLE onSample;
    private PadProbe keyframeGate;
    private Bin parent;

    LiveBranch(String cameraId, int width, int height, Consumer<VideoFrame> frames) {
        this.cameraId = cameraId;
        this.width = width;
        this.height = height;
        this.frames = frames;
    }

    /** The branch's elements: decoder {@code decoder} and the picture size; its name starts with {@value #PREFIX}. */
    static String describe(String decoder, int width, int height) {
        return "queue name=q leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=1000000000 ! "
                + decoder + " name=dec max-errors=-1 ! videoscale ! videoconvert ! capsfilter caps=\"video/x-raw,"
                + "format=BGRx,width=" + width + ",height=" + height + ",pixel-aspect-ratio=1/1\" ! appsink name=sink"
                + " max-buffers=1 drop=true sync=false async=false emit-signals=true qos=false";
    }

    /** Builds the branch in {@code pipeline} and links it to a new output of {@code teeElement}. */
    void attach(Bin pipeline, Element teeElement, String decoder, String name) {
        parent = pipeline;
        tee = teeElement;
        bin = keep(Gst.parseBinFromDescription(describe(decoder, width, height), true));
        bin.setName(name);
        sink = keep((AppSink) bin.getElementByName("sink"));
        onSample = s -> {
            if (detached.get()) {
                return FlowReturn.EOS;
            }
            VideoFrame f = Samples.pull(s, (caps, data, pts) -> copy(data)).orElse(null);
            if (f != null) {
                frames.accept(f);
            }
            return FlowReturn.OK;
        };
        sink.connect(onSample);
        binSink = keep(bin.getStaticPad("sink"));
        pipeline.add(bin);
        teePad = keep(tee.getRequestPad("src_%u"));
        keyframeGate = PadProbe.add(teePad, GstNative.PROBE_BUFFER, (pad, info, data) -> {
            Pointer buffer = GstNative.gst_pad_probe_info_get_buffer(info);
            if (buffer != null && GstNative.isKeyframe(buffer)) {
                keyframeGate.removedByCallback();
                return GstNative.PROBE_REMOVE;
            }
            return GstNative.PROBE_DROP;
        });
        bin.syncStateWithParent();
        try {
            teePad.link(binSink);
        } catch (PadLinkException e) {
            throw new IllegalStateException("The live view of camera " + cameraId + " cannot be linked: " + e, e);
        }
    }

    private VideoFrame copy(ByteBuffer data) {
        int stride = width * 4;
        int size = stride * height;
        if (data.remaining() < size) {
            return null;
        }
        byte[] pixels = new byte[size];
        data.get(pixels);
        return new VideoFrame(cameraId, width, height, stride, ByteBuffer.wrap(pixels).asReadOnlyBuffer(),
                Instant.now());
    }

    /**
     * Unlinks the branch when the tee's output is idle, stops and removes it, and releases everything; the
     * recording branch keeps flowing. Idempotent; call from a scheduler thread, never a streaming thread.
     */
    void detach() {
        if (!detached.compareAndSet(false, true)) {
            return;
        }
        try {
            if (teePad != null && binSink != null) {
                CountDownLatch unlinked = new CountDownLatch(1);
                PadProbe[] idle = new PadProbe[1];
                idle[0] = PadProbe.add(teePad, GstNative.PROBE_IDLE, (pad, info, data) -> {
                    teePad.unlink(binSink);
                    unlinked.countDown();
                    return GstNative.PROBE_REMOVE;
                });
                if (!unlinked.await(2, TimeUnit.SECONDS)) {
                    LOG.log(Level.DEBUG, "Camera {0}: the live branch stayed busy; removing it anyway.", cameraId);
                    idle[0].close();
                } else {
                    idle[0].removedByCallback();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Camera {0}: unlinking the live branch failed: {1}", cameraId, e.toString());
        }
        quietly(() -> {
            if (keyframeGate != null) {
                keyframeGate.close();
            }
        });
        quietly(() -> bin.setState(State.NULL));
        quietly(() -> parent.remove(bin));
        quietly(() -> tee.releaseRequestPad(teePad));
        quietly(() -> sink.disconnect(onSample));
        dispose();
    }

    /**
     * Forgets the branch when its pipeline is released as a whole (the pipeline stops and disposes the elements):
     * only the probe, the handler and the proxies are released here. Call after the pipeline reached NULL.
     */
    void released() {
        if (!detached.compareAndSet(false, true)) {
            return;
        }
        quietly(() -> {
            if (keyframeGate != null) {
                keyframeGate.close();
            }
        });
        quietly(() -> sink.disconnect(onSample));
        dispose();
    }

    private void dispose() {
        for (int i = proxies.size() - 1; i >= 0; i--) {
            NativeObject p = proxies.get(i);
            quietly(p::dispose);
        }
        proxies.clear();
    }

    private <T extends NativeObject> T keep(T proxy) {
        proxies.add(proxy);
        return proxy;
    }

    private void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, "Camera {0}: live branch cleanup: {1}", cameraId, e.toString());
        }
    }
}
