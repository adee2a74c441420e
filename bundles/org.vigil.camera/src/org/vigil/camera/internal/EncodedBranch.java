package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.vigil.api.camera.EncodedFrame;
import org.vigil.api.camera.EncodedSink;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * An encoded tap on a camera pipeline's tee, for re-streaming: {@code queue (leaky) ! fakesink}, the frames read by a
 * probe on the sink's pad (no decoding, no re-encoding) and handed to every {@link EncodedSink} of the tap. Like
 * {@link LiveBranch} it exists while someone taps the stream and is detached without disturbing the recording: the
 * leaky queue gives it its own thread and drops the oldest frames when a receiver is slow. Frames before the first
 * keyframe are dropped; every receiver hears the caps first.
 */
final class EncodedBranch {
    static final String PREFIX = "tap-";
    private static final Logger LOG = System.getLogger(EncodedBranch.class.getName());

    private final String cameraId;
    private final List<EncodedSink> sinks;
    private final List<NativeObject> proxies = new ArrayList<>();
    private final AtomicBoolean detached = new AtomicBoolean();
    private final List<EncodedSink> told = new CopyOnWriteArrayList<>();
    private volatile String caps;
    private Bin bin;
    private Element tee;
    private Pad teePad;
    private Pad binSink;
    private PadProbe keyframeGate;
    private PadProbe reader;
    private Bin parent;

    /** {@code sinks}: the tap's receivers, read for every frame (a new receiver hears the caps before its first frame). */
    EncodedBranch(String cameraId, List<EncodedSink> sinks) {
        this.cameraId = cameraId;
        this.sinks = sinks;
    }

    static String describe() {
        return "queue name=q leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=2000000000 ! "
                + "fakesink name=sink sync=false async=false enable-last-sample=false qos=false";
    }

    void attach(Bin pipeline, Element teeElement, String name) {
        parent = pipeline;
        tee = teeElement;
        bin = keep(Gst.parseBinFromDescription(describe(), true));
        bin.setName(name);
        Element sink = keep(bin.getElementByName("sink"));
        Pad sinkPad = keep(sink.getStaticPad("sink"));
        reader = PadProbe.add(sinkPad, GstNative.PROBE_BUFFER | GstNative.PROBE_EVENT_DOWNSTREAM,
                (pad, info, data) -> onData(info));
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
            throw new IllegalStateException("The encoded tap of camera " + cameraId + " cannot be linked: " + e, e);
        }
    }

    /** Streaming thread of the tap's queue: caps and frames to the receivers. */
    private int onData(Pointer info) {
        if (detached.get()) {
            return GstNative.PROBE_OK;
        }
        try {
            int type = GstNative.probeType(info);
            if ((type & GstNative.PROBE_BUFFER) != 0) {
                Pointer buffer = GstNative.gst_pad_probe_info_get_buffer(info);
                String c = caps;
                if (buffer == null || c == null) {
                    return GstNative.PROBE_OK;
                }
                int size = (int) GstNative.gst_buffer_get_size(buffer).longValue();
                byte[] bytes = new byte[size];
                GstNative.gst_buffer_extract(buffer, new NativeLong(0), bytes, new NativeLong(size));
                EncodedFrame f = new EncodedFrame(bytes, GstNative.pts(buffer), GstNative.dts(buffer),
                        GstNative.duration(buffer), GstNative.isKeyframe(buffer));
                for (EncodedSink s : sinks) {
                    if (!told.contains(s)) {
                        if (!f.keyframe()) {
                            continue; // a receiver that joined late starts at the next keyframe
                        }
                        told.add(s);
                        s.format(c);
                    }
                    s.frame(f);
                }
            } else {
                Pointer event = GstNative.gst_pad_probe_info_get_event(info);
                if (event != null && GstNative.eventType(event) == GstNative.EVENT_CAPS) {
                    PointerByReference ref = new PointerByReference();
                    GstNative.gst_event_parse_caps(event, ref);
                    String c = GstNative.capsToString(ref.getValue());
                    if (!c.equals(caps)) {
                        caps = c;
                        told.clear(); // each receiver hears the new caps before its next keyframe
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Camera {0}: an encoded tap receiver failed: {1}", cameraId, e.toString());
        }
        return GstNative.PROBE_OK;
    }

    /** Unlinks the branch when the tee's output is idle, stops and removes it; the recording keeps flowing. */
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
                    LOG.log(Level.DEBUG, "Camera {0}: the encoded tap stayed busy; removing it anyway.", cameraId);
                    idle[0].close();
                } else {
                    idle[0].removedByCallback();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Camera {0}: unlinking the encoded tap failed: {1}", cameraId, e.toString());
        }
        closeProbes();
        quietly(() -> bin.setState(State.NULL));
        quietly(() -> parent.remove(bin));
        quietly(() -> tee.releaseRequestPad(teePad));
        dispose();
    }

    /** Forgets the branch when its pipeline is released as a whole; call after the pipeline reached NULL. */
    void released() {
        if (!detached.compareAndSet(false, true)) {
            return;
        }
        closeProbes();
        dispose();
    }

    private void closeProbes() {
        quietly(() -> {
            if (keyframeGate != null) {
                keyframeGate.close();
            }
        });
        quietly(() -> {
            if (reader != null) {
                reader.close();
            }
        });
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
            LOG.log(Level.DEBUG, "Camera {0}: encoded tap cleanup: {1}", cameraId, e.toString());
        }
    }
}
