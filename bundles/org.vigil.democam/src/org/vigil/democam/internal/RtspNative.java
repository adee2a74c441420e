package org.vigil.democam.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few C functions of GLib, GObject and gst-rtsp-server the demo camera calls (gst1-java-core does not bind the
 * RTSP server). Loaded on first use; {@link #load()} says in one sentence what to install when a library is missing.
 */
final class RtspNative {
    static final String SERVER_PACKAGE = "libgstrtspserver-1.0-0";

    private RtspNative() {
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
    }

    interface RtspServer extends Library {
        Pointer gst_rtsp_server_new();

        void gst_rtsp_server_set_address(Pointer server, String address);

        void gst_rtsp_server_set_service(Pointer server, String service);

        int gst_rtsp_server_get_bound_port(Pointer server);

        Pointer gst_rtsp_server_get_mount_points(Pointer server);

        Pointer gst_rtsp_server_create_source(Pointer server, Pointer cancellable, PointerByReference error);

        Pointer gst_rtsp_server_client_filter(Pointer server, ClientFilter func, Pointer userData);

        Pointer gst_rtsp_media_factory_new();

        void gst_rtsp_media_factory_set_launch(Pointer factory, String launch);

        void gst_rtsp_media_factory_set_shared(Pointer factory, boolean shared);

        void gst_rtsp_mount_points_add_factory(Pointer mounts, String path, Pointer factory);

        void gst_rtsp_mount_points_remove_factory(Pointer mounts, String path);
    }

    /** {@code gboolean (*GSourceFunc)(gpointer)}. */
    interface SourceFunc extends Callback {
        boolean invoke(Pointer data);
    }

    /** {@code GstRTSPFilterResult (*)(GstRTSPServer*, GstRTSPClient*, gpointer)}. */
    interface ClientFilter extends Callback {
        int filter(Pointer server, Pointer client, Pointer data);
    }

    /** Signal {@code media-configure}: {@code void (*)(GstRTSPMediaFactory*, GstRTSPMedia*, gpointer)}. */
    interface MediaConfigure extends Callback {
        void configured(Pointer factory, Pointer media, Pointer data);
    }

    static final int FILTER_REMOVE = 0;
    static final int PRIORITY_DEFAULT = 0;

    record Libraries(GLib glib, GObject gobject, RtspServer rtsp) {
    }

    private static volatile Libraries loaded;

    /** The three libraries, loaded once. */
    static Libraries load() {
        Libraries l = loaded;
        if (l != null) {
            return l;
        }
        synchronized (RtspNative.class) {
            if (loaded == null) {
                GLib glib = Native.load("glib-2.0", GLib.class);
                GObject gobject = Native.load("gobject-2.0", GObject.class);
                RtspServer rtsp;
                try {
                    rtsp = Native.load("gstrtspserver-1.0", RtspServer.class);
                } catch (UnsatisfiedLinkError first) {
                    try {
                        rtsp = Native.load("libgstrtspserver-1.0.so.0", RtspServer.class);
                    } catch (UnsatisfiedLinkError e) {
                        throw new IllegalStateException("The RTSP server library libgstrtspserver-1.0.so.0 is missing; "
                                + "install the Debian package " + SERVER_PACKAGE + ".", e);
                    }
                }
                loaded = new Libraries(glib, gobject, rtsp);
            }
            return loaded;
        }
    }
}
