package org.vigil.democam.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * gst-rtsp-server with one shared media factory per mount (every client of a mount sees the same encoder, like a
 * real camera), its GLib main context run by one named thread. {@link #stop(Duration)} closes the listening socket,
 * disconnects the clients, quits and joins the loop (bounded) and releases every native object; it is idempotent
 * and never throws.
 */
final class RtspDemoServer {
    static final String LOOP_THREAD = "vigil-democam-rtsp";
    private static final Logger LOG = System.getLogger(RtspDemoServer.class.getName());
    /** Servers whose loop did not stop: kept reachable so that their JNA callbacks are never collected. */
    private static final List<RtspDemoServer> STUCK = new CopyOnWriteArrayList<>();

    /** A mount: {@code path} such as {@code /h264} and the {@code gst-launch} description it serves. */
    record Mount(String path, String launch) {
    }

    private record Factory(String path, Pointer pointer, NativeLong handler, AtomicInteger medias) {
    }

    private final RtspNative.Libraries n;
    private final Pointer context;
    private final Pointer loop;
    private final Pointer server;
    private final Pointer mountPoints;
    private final List<Factory> factories = new CopyOnWriteArrayList<>();
    private final String address;
    private Pointer source;
    private int port;
    private Thread thread;
    private final AtomicBoolean stopped = new AtomicBoolean();
    // JNA callbacks: referenced here for as long as native code may call them
    private final RtspNative.MediaConfigure onMediaConfigure;
    private final RtspNative.SourceFunc stopOnLoop;
    private final RtspNative.ClientFilter removeClient = (server, client, data) -> RtspNative.FILTER_REMOVE;

    private RtspDemoServer(String address) {
        this.address = address;
        this.n = RtspNative.load();
        this.context = n.glib().g_main_context_new();
        this.loop = n.glib().g_main_loop_new(context, false);
        this.server = n.rtsp().gst_rtsp_server_new();
        this.mountPoints = n.rtsp().gst_rtsp_server_get_mount_points(server);
        this.onMediaConfigure = (factory, media, data) -> {
            for (Factory f : factories) {
                if (f.pointer().equals(factory)) {
                    int count = f.medias().incrementAndGet();
                    LOG.log(Level.DEBUG, "Demo camera: pipeline #{0} of {1} built for a client.", count, f.path());
                }
            }
        };
        this.stopOnLoop = data -> {
            closeOnLoopThread();
            return false;
        };
        CallbackThreadInitializer detachAfterCall = new CallbackThreadInitializer(true, true, "vigil-democam-callback");
        Native.setCallbackThreadInitializer(onMediaConfigure, detachAfterCall);
    }

    /**
     * Serves {@code mounts} on {@code address}:{@code port} (0: a free port chosen by the system).
     *
     * @throws IOException when the address cannot be bound (one sentence)
     */
    static RtspDemoServer start(String address, int port, List<Mount> mounts) throws IOException {
        RtspDemoServer s = new RtspDemoServer(address);
        try {
            s.listen(port, mounts);
            return s;
        } catch (IOException | RuntimeException e) {
            s.stop(Duration.ofSeconds(2));
            throw e;
        }
    }

    private void listen(int requestedPort, List<Mount> mounts) throws IOException {
        RtspNative.RtspServer rtsp = n.rtsp();
        rtsp.gst_rtsp_server_set_address(server, address);
        rtsp.gst_rtsp_server_set_service(server, Integer.toString(requestedPort));
        for (Mount m : mounts) {
            Pointer f = rtsp.gst_rtsp_media_factory_new();
            rtsp.gst_rtsp_media_factory_set_launch(f, "( " + m.launch() + " )");
            rtsp.gst_rtsp_media_factory_set_shared(f, true);
            n.gobject().g_object_ref(f); // ours, for disconnecting the handler at stop; the mount points take the other
            NativeLong handler = n.gobject().g_signal_connect_data(f, "media-configure", onMediaConfigure, null, null, 0);
            factories.add(new Factory(m.path(), f, handler, new AtomicInteger()));
            rtsp.gst_rtsp_mount_points_add_factory(mountPoints, m.path(), f);
        }
        PointerByReference error = new PointerByReference();
        Pointer src = rtsp.gst_rtsp_server_create_source(server, null, error);
        if (src == null) {
            String why = "unknown error";
            Pointer e = error.getValue();
            if (e != null) {
                Pointer message = e.getPointer(8); // GError { GQuark domain; gint code; gchar *message; }
                why = message == null ? why : message.getString(0);
                n.glib().g_error_free(e);
            }
            throw new IOException("The demo camera cannot listen on " + address + ":" + requestedPort + ": " + why + ".");
        }
        source = src;
        port = rtsp.gst_rtsp_server_get_bound_port(server);
        n.glib().g_source_attach(source, context);
        thread = new Thread(this::runLoop, LOOP_THREAD);
        thread.setDaemon(true); // serves test pictures only; never keeps the JVM alive
        thread.start();
    }

    private void runLoop() {
        n.glib().g_main_context_push_thread_default(context);
        try {
            n.glib().g_main_loop_run(loop);
        } finally {
            n.glib().g_main_context_pop_thread_default(context);
        }
    }

    /** Runs on the loop thread: no new connection, every client closed, then the loop ends. */
    private void closeOnLoopThread() {
        try {
            if (source != null) {
                n.glib().g_source_destroy(source);
            }
            Pointer kept = n.rtsp().gst_rtsp_server_client_filter(server, removeClient, null);
            if (kept != null) {
                n.glib().g_list_free(kept);
            }
        } finally {
            n.glib().g_main_loop_quit(loop);
        }
    }

    int port() {
        return port;
    }

    String address() {
        return address;
    }

    /** How many pipelines each mount built so far (a shared mount builds one for all its clients at a time). */
    Map<String, Integer> mediasBuilt() {
        Map<String, Integer> m = new LinkedHashMap<>();
        factories.forEach(f -> m.put(f.path(), f.medias().get()));
        return m;
    }

    boolean isServing() {
        return !stopped.get() && thread != null && thread.isAlive();
    }

    /** Stops serving; waits at most {@code wait} for the loop thread. Idempotent, never throws. */
    void stop(Duration wait) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        boolean loopEnded = true;
        try {
            if (thread != null && thread.isAlive()) {
                n.glib().g_main_context_invoke_full(context, RtspNative.PRIORITY_DEFAULT, stopOnLoop, null, null);
                thread.join(Math.max(1, wait.toMillis()));
                loopEnded = !thread.isAlive();
            } else {
                closeOnLoopThread(); // the loop never ran: nothing else touches the context
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loopEnded = thread == null || !thread.isAlive();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Stopping the demo camera failed: {0}", e.toString());
        }
        if (!loopEnded) {
            // the loop still runs native code that uses these objects and our callbacks: leak them, never free them
            STUCK.add(this);
            LOG.log(Level.WARNING, "The demo camera''s RTSP thread did not stop within {0} ms; its native objects are "
                    + "left allocated.", wait.toMillis());
            return;
        }
        release();
    }

    private void release() {
        for (Factory f : factories) {
            try {
                n.gobject().g_signal_handler_disconnect(f.pointer(), f.handler());
                n.gobject().g_object_unref(f.pointer());
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Releasing the demo camera mount {0} failed: {1}", f.path(), e.toString());
            }
        }
        try {
            n.gobject().g_object_unref(mountPoints);
            if (source != null) {
                n.glib().g_source_unref(source);
            }
            n.gobject().g_object_unref(server);
            n.glib().g_main_loop_unref(loop);
            n.glib().g_main_context_unref(context);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Releasing the demo camera server failed: {0}", e.toString());
        }
    }
}
