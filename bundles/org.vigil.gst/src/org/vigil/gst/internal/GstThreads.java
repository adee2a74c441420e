package org.vigil.gst.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.freedesktop.gstreamer.Gst;

/** Knows GStreamer's bus thread, the one Java thread gst1-java-core delivers every bus message on. */
public final class GstThreads {
    /** The name gst1-java-core gives its bus thread. */
    public static final String BUS_THREAD_NAME = "gstreamer service thread";

    private static volatile Thread busThread;

    private GstThreads() {
    }

    /** Learns which thread is the bus thread; call once after {@code Gst.init}, never from the bus thread. */
    static void learnBusThread() {
        if (busThread != null || Thread.currentThread().getName().equals(BUS_THREAD_NAME)) {
            return;
        }
        try {
            busThread = Gst.getExecutor().submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // falls back to the thread name
        }
    }

    /** Whether the calling thread is GStreamer's bus thread, where waiting for a bus message would never end. */
    public static boolean isBusThread() {
        Thread t = busThread;
        Thread current = Thread.currentThread();
        return t != null ? t == current : current.getName().equals(BUS_THREAD_NAME);
    }
}
