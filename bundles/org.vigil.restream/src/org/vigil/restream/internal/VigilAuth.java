package org.vigil.restream.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A subclass of {@code GstRTSPAuth} made at run time (GType), whose {@code authenticate} virtual function is Java:
 * gst-rtsp-server calls it for a request that needs a token (DESCRIBE and SETUP reach a media factory), before it
 * checks the factory's permissions; the default check, the 401 answer and its {@code WWW-Authenticate: Basic} header
 * stay gst-rtsp-server's own. One type per class loader (a GType is never unregistered); the calls reach the server
 * that made the object through {@link #SERVERS}.
 */
final class VigilAuth {
    /** What an auth object's {@code authenticate} asks. */
    interface Handler {
        /** Sets {@code ctx->token} when the request's credentials are good; always true (no token: 401). */
        boolean authenticate(Pointer context);
    }

    private static final Map<Pointer, Handler> SERVERS = new ConcurrentHashMap<>();
    private static final RtspLibs.Authenticate AUTHENTICATE = (auth, ctx) -> {
        Handler h = SERVERS.get(auth);
        return h == null || h.authenticate(ctx);
    };
    private static RtspLibs.ClassInit classInit;
    private static NativeLong type;

    static {
        Native.setCallbackThreadInitializer(AUTHENTICATE, RtspLibs.GLIB_THREADS);
    }

    private VigilAuth() {
    }

    /** A new auth object whose requests go to {@code handler} (until {@link #forget}). */
    static synchronized Pointer create(RtspLibs.Libraries n, Handler handler) {
        if (type == null) {
            NativeLong parent = n.server().gst_rtsp_auth_get_type();
            long objectClassSize = query(n, RtspLibs.TYPE_OBJECT)[0];
            long[] sizes = query(n, parent);
            classInit = (klass, data) -> klass.setPointer(objectClassSize,
                    CallbackReference.getFunctionPointer(AUTHENTICATE));
            String name = "VigilRtspAuth" + Integer.toHexString(System.identityHashCode(VigilAuth.class));
            NativeLong existing = n.gobject().g_type_from_name(name);
            type = existing.longValue() != 0 ? existing
                    : n.gobject().g_type_register_static_simple(parent, name, (int) sizes[0], classInit,
                            (int) sizes[1], null, 0);
            if (type.longValue() == 0) {
                throw new IllegalStateException("The RTSP authentication type cannot be registered.");
            }
        }
        Pointer auth = n.gobject().g_object_new_with_properties(type, 0, null, null);
        SERVERS.put(auth, handler);
        return auth;
    }

    static void forget(Pointer auth) {
        SERVERS.remove(auth);
    }

    /** {@code GTypeQuery}: type, type_name, class_size, instance_size. */
    private static long[] query(RtspLibs.Libraries n, NativeLong t) {
        Memory q = new Memory(24);
        q.clear();
        n.gobject().g_type_query(t, q);
        long classSize = q.getInt(16) & 0xffffffffL;
        long instanceSize = q.getInt(20) & 0xffffffffL;
        if (classSize == 0) {
            throw new IllegalStateException("GType " + t + " is unknown.");
        }
        return new long[] { classSize, instanceSize };
    }
}
