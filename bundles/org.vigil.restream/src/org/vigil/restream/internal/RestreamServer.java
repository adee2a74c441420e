package org.vigil.restream.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * gst-rtsp-server serving the re-stream mounts: its own GLib main context run by one named thread (accepting
 * connections), each client's requests on a bounded pool of GLib threads (a slow password hash or a camera's first
 * keyframe delays only that client), a {@code GstRTSPAuth} ({@link VigilAuth}) whose {@code authenticate} gives a
 * request a token only when {@link BasicGate} accepts its credentials, so a request without valid credentials is
 * answered 401 with {@code WWW-Authenticate: Basic} by gst-rtsp-server's own check. {@link #stop(Duration)} closes the
 * listening socket, disconnects the clients, quits and joins the loop (bounded) and releases the native objects; it
 * is idempotent and never throws.
 */
final class RestreamServer {
    static final String LOOP_THREAD = "vigil-restream-rtsp";
    static final String REALM = "Vigil";
    static final String ROLE = "viewer";
    /** Client threads at most; more clients share them. */
    static final int CLIENT_THREADS = 8;
    /** How long a first DESCRIBE waits for the camera to say what it sends. */
    static final Duration FIRST_FORMAT_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = System.getLogger(RestreamServer.class.getName());
    /** Servers whose loop did not stop: kept reachable so that their JNA callbacks are never collected. */
    private static final List<RestreamServer> STUCK = new CopyOnWriteArrayList<>();

    private final RtspLibs.Libraries n;
    private final Pointer context;
    private final Pointer loop;
    private final Pointer server;
    private final Pointer mountPoints;
    private final Pointer auth;
    private final Pointer token;
    private final int authorizationHeader;
    private final String address;
    private final BasicGate gate;
    private final Map<String, StreamMount> mounts = new ConcurrentHashMap<>();
    private final Map<Pointer, StreamMount> byFactory = new ConcurrentHashMap<>();
    private final Map<Pointer, StreamMount> byMedia = new ConcurrentHashMap<>();
    private final Map<Pointer, NativeLong> factoryHandlers = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();
    private Pointer source;
    private int port;
    private Thread thread;
    // JNA callbacks: referenced here for as long as native code may call them
    private final RtspLibs.MediaConfigure onMediaConfigure;
    private final RtspLibs.MediaUnprepared onUnprepared;
    private final RtspLibs.SourceFunc stopOnLoop;
    private final RtspLibs.ClientFilter removeClient = (s, client, data) -> RtspLibs.FILTER_REMOVE;

    private RestreamServer(String address, BasicGate gate) {
        this.address = address;
        this.gate = gate;
        this.n = RtspLibs.load();
        this.authorizationHeader = n.rtsp().gst_rtsp_find_header_field("Authorization");
        this.context = n.glib().g_main_context_new();
        this.loop = n.glib().g_main_loop_new(context, false);
        this.server = n.server().gst_rtsp_server_new();
        this.mountPoints = n.server().gst_rtsp_server_get_mount_points(server);
        this.auth = VigilAuth.create(n, this::authenticate);
        n.server().gst_rtsp_auth_set_realm(auth, REALM);
        n.server().gst_rtsp_server_set_auth(server, auth);
        this.token = n.server().gst_rtsp_token_new_empty();
        n.server().gst_rtsp_token_set_string(token, "media.factory.role", ROLE);
        Pointer pool = n.server().gst_rtsp_server_get_thread_pool(server);
        n.server().gst_rtsp_thread_pool_set_max_threads(pool, CLIENT_THREADS);
        n.gobject().g_object_unref(pool);
        this.onMediaConfigure = this::mediaConfigured;
        this.onUnprepared = (media, data) -> {
            StreamMount m = byMedia.remove(media);
            if (m != null) {
                m.mediaUnprepared(media);
            }
        };
        this.stopOnLoop = data -> {
            closeOnLoopThread();
            return false;
        };
        for (com.sun.jna.Callback cb : List.<com.sun.jna.Callback>of(onMediaConfigure, onUnprepared)) {
            Native.setCallbackThreadInitializer(cb, RtspLibs.GLIB_THREADS);
        }
    }

    /**
     * Serves on {@code address}:{@code port} (0: a free port chosen by the system).
     *
     * @throws IOException when the address cannot be bound (one sentence)
     */
    static RestreamServer start(String address, int port, BasicGate gate) throws IOException {
        RestreamServer s = new RestreamServer(address, gate);
        try {
            s.listen(port);
            return s;
        } catch (IOException | RuntimeException e) {
            s.stop(Duration.ofSeconds(2));
            throw e;
        }
    }

    private void listen(int requestedPort) throws IOException {
        RtspLibs.RtspServer rtsp = n.server();
        rtsp.gst_rtsp_server_set_address(server, address);
        rtsp.gst_rtsp_server_set_service(server, Integer.toString(requestedPort));
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
            throw new IOException("The live re-stream cannot listen on " + address + ":" + requestedPort + ": " + why
                    + "; set restream.port to a free port.");
        }
        source = src;
        port = rtsp.gst_rtsp_server_get_bound_port(server);
        n.glib().g_source_attach(source, context);
        thread = new Thread(this::runLoop, LOOP_THREAD);
        thread.setDaemon(true); // writes nothing; the component stops it
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

    // ---- requests (client threads) ----

    /** {@code GstRTSPAuth.authenticate} of a request that needs a token (DESCRIBE, SETUP): a client thread. */
    private boolean authenticate(Pointer ctx) {
        try {
            String ip = n.rtsp().gst_rtsp_connection_get_ip(ctx.getPointer(RtspLibs.CONTEXT_CONN));
            String header = null;
            PointerByReference value = new PointerByReference();
            Pointer request = ctx.getPointer(RtspLibs.CONTEXT_REQUEST);
            if (request != null && n.rtsp().gst_rtsp_message_get_header(request, authorizationHeader, value, 0) == 0
                    && value.getValue() != null) {
                header = value.getValue().getString(0);
            }
            if (header == null) {
                return true; // no token: 401 naming Basic, and the player sends the URL's credentials
            }
            if (gate.check(header, ip) != BasicGate.Outcome.ACCEPTED) {
                refused.incrementAndGet();
                return true; // no token: 401
            }
            ctx.setPointer(RtspLibs.CONTEXT_TOKEN, token); // borrowed for this request, as GstRTSPAuth does
            if (ctx.getInt(RtspLibs.CONTEXT_METHOD) == RtspLibs.METHOD_DESCRIBE) {
                StreamMount m = mountOf(ctx);
                if (m != null && !m.ready(FIRST_FORMAT_WAIT)) {
                    LOG.log(Level.INFO, "Live re-stream {0}: the camera sent no video within {1} s.", m.path(),
                            FIRST_FORMAT_WAIT.toSeconds());
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "Live re-stream: a request failed inside Vigil: {0}", e.toString());
            return false;
        }
    }

    private StreamMount mountOf(Pointer ctx) {
        Pointer uri = ctx.getPointer(RtspLibs.CONTEXT_URI);
        if (uri == null) {
            return null;
        }
        Pointer abspath = uri.getPointer(RtspLibs.URL_ABSPATH);
        if (abspath == null) {
            return null;
        }
        String path = abspath.getString(0);
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        return mounts.get(path);
    }

    private void mediaConfigured(Pointer factory, Pointer media, Pointer data) {
        StreamMount m = byFactory.get(factory);
        if (m == null) {
            return;
        }
        Pointer element = n.server().gst_rtsp_media_get_element(media);
        if (element == null) {
            return;
        }
        Pointer appsrc;
        try {
            appsrc = n.gst().gst_bin_get_by_name(element, "vsrc");
        } finally {
            n.gst().gst_object_unref(element);
        }
        if (appsrc == null) {
            return;
        }
        byMedia.put(media, m);
        n.gobject().g_signal_connect_data(media, "unprepared", onUnprepared, null, null, 0);
        m.mediaConfigured(media, appsrc);
    }

    // ---- mounts (any thread) ----

    /** Mounts {@code m} at its path (a shared factory: one media, one camera tap for all its clients). */
    void mount(StreamMount m) {
        if (stopped.get() || mounts.putIfAbsent(m.path(), m) != null) {
            return;
        }
        RtspLibs.RtspServer rtsp = n.server();
        Pointer f = rtsp.gst_rtsp_media_factory_new();
        rtsp.gst_rtsp_media_factory_set_launch(f, StreamMount.launch("rtph264pay name=pay0 pt=96"));
        rtsp.gst_rtsp_media_factory_set_shared(f, true);
        Pointer perms = rtsp.gst_rtsp_permissions_new();
        rtsp.gst_rtsp_permissions_add_permission_for_role(perms, ROLE, "media.factory.access", true);
        rtsp.gst_rtsp_permissions_add_permission_for_role(perms, ROLE, "media.factory.construct", true);
        rtsp.gst_rtsp_media_factory_set_permissions(f, perms);
        n.gst().gst_mini_object_unref(perms);
        n.gobject().g_object_ref(f); // ours, for the handler and the launch; the mount points take the other
        factoryHandlers.put(f, n.gobject().g_signal_connect_data(f, "media-configure", onMediaConfigure, null, null,
                0));
        byFactory.put(f, m);
        m.factory(f);
        rtsp.gst_rtsp_mount_points_add_factory(mountPoints, m.path(), f);
    }

    /** Unmounts {@code path}: new clients get 404, its viewers get end-of-stream and are disconnected. */
    void unmount(String path) {
        StreamMount m = mounts.remove(path);
        if (m == null) {
            return;
        }
        n.server().gst_rtsp_mount_points_remove_factory(mountPoints, path);
        m.close();
        disconnectViewersOf(path);
        Pointer f = m.factory();
        if (f != null) {
            byFactory.remove(f);
            NativeLong h = factoryHandlers.remove(f);
            if (h != null) {
                n.gobject().g_signal_handler_disconnect(f, h);
            }
            n.gobject().g_object_unref(f);
        }
    }

    /** Closes the connection of every client with a session on {@code path} (a player then stops at once). */
    private void disconnectViewersOf(String path) {
        boolean[] watching = new boolean[1];
        RtspLibs.SessionFilter onPath = (client, session, data) -> {
            if (n.server().gst_rtsp_session_get_media(session, path, new com.sun.jna.ptr.IntByReference()) != null) {
                watching[0] = true;
            }
            return RtspLibs.FILTER_KEEP;
        };
        RtspLibs.ClientFilter closeWatching = (s, client, data) -> {
            watching[0] = false;
            n.server().gst_rtsp_client_session_filter(client, onPath, null);
            return watching[0] ? RtspLibs.FILTER_REMOVE : RtspLibs.FILTER_KEEP;
        };
        try {
            Pointer kept = n.server().gst_rtsp_server_client_filter(server, closeWatching, null);
            if (kept != null) {
                n.glib().g_list_free(kept);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, "Disconnecting the viewers of {0} failed: {1}", path, e.toString());
        }
    }

    Map<String, StreamMount> mounts() {
        return Map.copyOf(mounts);
    }

    int port() {
        return port;
    }

    String address() {
        return address;
    }

    /** Requests refused for their credentials since the start (tests, diagnostics). */
    int refused() {
        return refused.get();
    }

    boolean isServing() {
        return !stopped.get() && thread != null && thread.isAlive();
    }

    // ---- stop ----

    /** Runs on the loop thread: no new connection, every client closed, then the loop ends. */
    private void closeOnLoopThread() {
        try {
            if (source != null) {
                n.glib().g_source_destroy(source);
            }
            Pointer kept = n.server().gst_rtsp_server_client_filter(server, removeClient, null);
            if (kept != null) {
                n.glib().g_list_free(kept);
            }
        } finally {
            n.glib().g_main_loop_quit(loop);
        }
    }

    /** Stops serving; waits at most {@code wait} for the loop thread. Idempotent, never throws. */
    void stop(Duration wait) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (String path : List.copyOf(mounts.keySet())) {
            try {
                unmount(path);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Unmounting {0} failed: {1}", path, e.toString());
            }
        }
        boolean loopEnded = true;
        try {
            if (thread != null && thread.isAlive()) {
                n.glib().g_main_context_invoke_full(context, RtspLibs.PRIORITY_DEFAULT, stopOnLoop, null, null);
                thread.join(Math.max(1, wait.toMillis()));
                loopEnded = !thread.isAlive();
            } else {
                closeOnLoopThread(); // the loop never ran: nothing else touches the context
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loopEnded = thread == null || !thread.isAlive();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Stopping the live re-stream failed: {0}", e.toString());
        }
        // client threads may still finish a request with our callbacks and token: keep them reachable and alive
        STUCK.add(this);
        if (!loopEnded) {
            LOG.log(Level.WARNING, "The live re-stream''s RTSP thread did not stop within {0} ms; its native objects"
                    + " are left allocated.", wait.toMillis());
            return;
        }
        try {
            n.gobject().g_object_unref(mountPoints);
            if (source != null) {
                n.glib().g_source_unref(source);
            }
            n.gobject().g_object_unref(server);
            VigilAuth.forget(auth);
            n.gobject().g_object_unref(auth);
            n.glib().g_main_loop_unref(loop);
            n.glib().g_main_context_unref(context);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Releasing the live re-stream server failed: {0}", e.toString());
        }
    }
}
