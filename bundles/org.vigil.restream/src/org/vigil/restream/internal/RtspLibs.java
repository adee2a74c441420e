package org.vigil.restream.internal;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C functions of GLib, GObject, GStreamer, its app and RTSP libraries and gst-rtsp-server that the re-stream
 * server calls (gst1-java-core binds none of the RTSP server). Loaded once; {@link #load()} says in one sentence what
 * to install when a library is missing. Fields C reads through macros are read at the offsets below, checked once
 * against a new buffer ({@link #checkLayout}).
 */
final class RtspLibs {
    static final String SERVER_PACKAGE = "libgstrtspserver-1.0-0";
    /** {@code GstRTSPContext}: server, conn, client, request, uri, method (+pad), auth, token. */
    static final long CONTEXT_CONN = 8;
    static final long CONTEXT_REQUEST = 24;
    static final long CONTEXT_URI = 32;
    static final long CONTEXT_METHOD = 40;
    static final long CONTEXT_TOKEN = 56;
    /** {@code GstRTSPUrl}: transports, family, user, passwd, host, port (+pad), abspath. */
    static final long URL_ABSPATH = 40;
    /** {@code GstMiniObject.flags} and {@code GstBuffer}'s pool, pts, dts, duration. */
    static final long MINI_OBJECT_FLAGS = 16;
    static final long BUFFER_POOL = 64;
    static final long BUFFER_PTS = 72;
    static final long BUFFER_DTS = 80;
    static final long BUFFER_DURATION = 88;
    static final int BUFFER_FLAG_DELTA_UNIT = (1 << 4) << 9;
    static final int FILTER_REMOVE = 0;
    static final int FILTER_KEEP = 1;
    static final int PRIORITY_DEFAULT = 0;
    /** {@code GST_RTSP_DESCRIBE}. */
    static final int METHOD_DESCRIBE = 1;
    /** {@code G_TYPE_OBJECT}: fundamental type 20. */
    static final NativeLong TYPE_OBJECT = new NativeLong(20 << 2);

    /** Callbacks run on GLib's threads, which are attached to the JVM only for the call. */
    static final CallbackThreadInitializer GLIB_THREADS = new CallbackThreadInitializer(true, true,
            "vigil-restream-callback");

    private RtspLibs() {
    }

    interface GLib extends Library {
        Pointer g_main_context_new();

        void g_main_context_unref(Pointer context);

        void g_main_context_push_thread_default(Pointer context);

        void g_main_context_pop_thread_default(Pointer context);

        void g_main_context_invoke_full(Pointer context, int priority, SourceFunc function, Pointer data, Pointer notify);

        Pointer g_main_loop_new(Pointer context, boolean isRunning);

        void g_main_loop_run(Pointer loop);

        void g_main_loop_quit(Pointer loop);

        void g_main_loop_unref(Pointer loop);

        int g_source_attach(Pointer source, Pointer context);

        void g_source_destroy(Pointer source);

        void g_source_unref(Pointer source);

        void g_error_free(Pointer error);

        void g_list_free(Pointer list);
    }

    interface GObject extends Library {
        Pointer g_object_ref(Pointer object);

        void g_object_unref(Pointer object);

        NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler, Pointer data,
                Pointer destroyData, int flags);

        void g_signal_handler_disconnect(Pointer instance, NativeLong handlerId);

        NativeLong g_type_from_name(String name);

        void g_type_query(NativeLong type, Pointer query);

        NativeLong g_type_register_static_simple(NativeLong parent, String name, int classSize, ClassInit classInit,
                int instanceSize, Pointer instanceInit, int flags);

        Pointer g_object_new_with_properties(NativeLong type, int n, Pointer names, Pointer values);
    }

    interface Gst extends Library {
        Pointer gst_caps_from_string(String caps);

        void gst_mini_object_unref(Pointer object);

        Pointer gst_bin_get_by_name(Pointer bin, String name);

        void gst_object_unref(Pointer object);

        Pointer gst_buffer_new_allocate(Pointer allocator, NativeLong size, Pointer params);

        NativeLong gst_buffer_fill(Pointer buffer, NativeLong offset, byte[] src, NativeLong size);

        Pointer gst_buffer_new();

        Pointer gst_element_get_clock(Pointer element);

        long gst_element_get_base_time(Pointer element);

        long gst_clock_get_time(Pointer clock);
    }

    interface GstApp extends Library {
        void gst_app_src_set_caps(Pointer appsrc, Pointer caps);

        int gst_app_src_push_buffer(Pointer appsrc, Pointer buffer);

        int gst_app_src_end_of_stream(Pointer appsrc);
    }

    interface GstRtsp extends Library {
        int gst_rtsp_find_header_field(String header);

        int gst_rtsp_message_get_header(Pointer message, int field, PointerByReference value, int index);

        String gst_rtsp_connection_get_ip(Pointer connection);
    }

    interface RtspServer extends Library {
        Pointer gst_rtsp_server_new();

        void gst_rtsp_server_set_address(Pointer server, String address);

        void gst_rtsp_server_set_service(Pointer server, String service);

        int gst_rtsp_server_get_bound_port(Pointer server);

        Pointer gst_rtsp_server_get_mount_points(Pointer server);

        Pointer gst_rtsp_server_get_thread_pool(Pointer server);

        void gst_rtsp_thread_pool_set_max_threads(Pointer pool, int max);

        void gst_rtsp_server_set_auth(Pointer server, Pointer auth);

        Pointer gst_rtsp_server_create_source(Pointer server, Pointer cancellable, PointerByReference error);

        Pointer gst_rtsp_server_client_filter(Pointer server, ClientFilter func, Pointer userData);

        Pointer gst_rtsp_client_session_filter(Pointer client, SessionFilter func, Pointer userData);

        Pointer gst_rtsp_session_get_media(Pointer session, String path, com.sun.jna.ptr.IntByReference matched);

        NativeLong gst_rtsp_auth_get_type();

        void gst_rtsp_auth_set_realm(Pointer auth, String realm);

        Pointer gst_rtsp_token_new_empty();

        void gst_rtsp_token_set_string(Pointer token, String field, String value);

        Pointer gst_rtsp_permissions_new();

        void gst_rtsp_permissions_add_permission_for_role(Pointer permissions, String role, String permission,
                boolean allowed);

        Pointer gst_rtsp_media_factory_new();

        void gst_rtsp_media_factory_set_launch(Pointer factory, String launch);

        void gst_rtsp_media_factory_set_shared(Pointer factory, boolean shared);

        void gst_rtsp_media_factory_set_permissions(Pointer factory, Pointer permissions);

        Pointer gst_rtsp_media_get_element(Pointer media);

        void gst_rtsp_mount_points_add_factory(Pointer mounts, String path, Pointer factory);

        void gst_rtsp_mount_points_remove_factory(Pointer mounts, String path);
    }

    /** {@code GClassInitFunc}: {@code void (*)(gpointer g_class, gpointer class_data)}. */
    interface ClassInit extends Callback {
        void init(Pointer klass, Pointer data);
    }

    /** {@code GstRTSPAuthClass.authenticate}: {@code gboolean (*)(GstRTSPAuth*, GstRTSPContext*)}. */
    interface Authenticate extends Callback {
        boolean authenticate(Pointer auth, Pointer context);
    }

    /** {@code gboolean (*GSourceFunc)(gpointer)}. */
    interface SourceFunc extends Callback {
        boolean invoke(Pointer data);
    }

    /** {@code GstRTSPFilterResult (*)(GstRTSPServer*, GstRTSPClient*, gpointer)}. */
    interface ClientFilter extends Callback {
        int filter(Pointer server, Pointer client, Pointer data);
    }

    /** {@code GstRTSPFilterResult (*)(GstRTSPClient*, GstRTSPSession*, gpointer)}. */
    interface SessionFilter extends Callback {
        int filter(Pointer client, Pointer session, Pointer data);
    }

    /** Signal {@code media-configure}: {@code void (*)(GstRTSPMediaFactory*, GstRTSPMedia*, gpointer)}. */
    interface MediaConfigure extends Callback {
        void configured(Pointer factory, Pointer media, Pointer data);
    }

    /** Signal {@code unprepared}: {@code void (*)(GstRTSPMedia*, gpointer)}. */
    interface MediaUnprepared extends Callback {
        void unprepared(Pointer media, Pointer data);
    }

    record Libraries(GLib glib, GObject gobject, Gst gst, GstApp app, GstRtsp rtsp, RtspServer server) {
    }

    private static volatile Libraries loaded;

    /** The libraries, loaded once. */
    static Libraries load() {
        Libraries l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (RtspLibs.class) {
            if (loaded == null) {
                GLib glib = Native.load("glib-2.0", GLib.class);
                GObject gobject = Native.load("gobject-2.0", GObject.class);
                Gst gst = Native.load("gstreamer-1.0", Gst.class);
                GstApp app = Native.load("gstapp-1.0", GstApp.class);
                GstRtsp rtsp = Native.load("gstrtsp-1.0", GstRtsp.class);
                RtspServer server;
                try {
                    server = Native.load("gstrtspserver-1.0", RtspServer.class);
                } catch (UnsatisfiedLinkError first) {
                    try {
                        server = Native.load("libgstrtspserver-1.0.so.0", RtspServer.class);
                    } catch (UnsatisfiedLinkError e) {
                        throw new IllegalStateException("The RTSP server library libgstrtspserver-1.0.so.0 is missing; "
                                + "install the Debian package " + SERVER_PACKAGE + ".", e);
                    }
                }
                Libraries libs = new Libraries(glib, gobject, gst, app, rtsp, server);
                checkLayout(libs);
                loaded = libs;
            }
            return loaded;
        }
    }

    /** A new buffer has no pool and no timestamps at the offsets used here: refuses a foreign ABI. */
    private static void checkLayout(Libraries libs) {
        if (Native.POINTER_SIZE != 8) {
            throw new IllegalStateException("The live re-stream needs a 64-bit system.");
        }
        Pointer b = libs.gst().gst_buffer_new();
        try {
            if (b.getPointer(BUFFER_POOL) != null || b.getLong(BUFFER_PTS) != -1 || b.getLong(BUFFER_DTS) != -1
                    || b.getLong(BUFFER_DURATION) != -1) {
                throw new IllegalStateException("This GStreamer's GstBuffer layout is not the one Vigil knows.");
            }
        } finally {
            libs.gst().gst_mini_object_unref(b);
        }
    }
}
