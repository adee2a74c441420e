package org.vigil.camera.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.glib.Natives;
import org.vigil.api.platform.Registration;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A pad probe installed through the C API, with its callback kept reachable for as long as GStreamer may call it.
 * The probe runs on the pad's streaming thread: the callback must not block and must not release the pipeline.
 * Closing removes the probe; it is idempotent. The caller keeps the pad's proxy alive until the probe is closed.
 */
final class PadProbe implements Registration {
    private final Pointer pad;
    private final GstNative.ProbeCallback callback;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile NativeLong id;

    private PadProbe(Pointer pad, GstNative.ProbeCallback callback) {
        this.pad = pad;
        this.callback = callback;
    }

    /** Installs {@code callback} on {@code pad} for the probe types {@code mask}. */
    static PadProbe add(Pad pad, int mask, GstNative.ProbeCallback callback) {
        Native.setCallbackThreadInitializer(callback, GstNative.STREAMING_THREADS);
        PadProbe p = new PadProbe(Natives.getRawPointer(pad), callback);
        p.id = GstNative.gst_pad_add_probe(p.pad, mask, callback, null, null);
        return p;
    }

    /** Marks the probe removed by its own callback (which returned {@code GST_PAD_PROBE_REMOVE}). */
    void removedByCallback() {
        closed.set(true);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            NativeLong i = id;
            if (i != null && i.longValue() != 0) {
                GstNative.gst_pad_remove_probe(pad, i);
            }
        }
    }

    /** Only for keeping the callback reachable while native code holds it. */
    GstNative.ProbeCallback callback() {
        return callback;
    }
}
