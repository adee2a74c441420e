package org.vigil.camera.internal;

import java.util.List;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few GStreamer and GLib C functions the recorder calls directly, for what gst1-java-core does not offer or
 * offers only with a Java object per call: per-buffer pad probes (frame counting, keyframe splitting), running-time
 * conversion, caps comparison and error details. Direct-mapped (JNA {@code Native.register}) because some run for
 * every frame.
 */
final class GstNative {
    /** {@code GST_PAD_PROBE_TYPE_BUFFER}. */
    static final int PROBE_BUFFER = 1 << 4;
    /** {@code GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM}. */
    static final int PROBE_EVENT_DOWNSTREAM = 1 << 6;
    /** {@code GST_PAD_PROBE_TYPE_IDLE}. */
    static final int PROBE_IDLE = 1 << 0;
    /** {@code GstPadProbeReturn}. */
    static final int PROBE_DROP = 0;
    static final int PROBE_OK = 1;
    static final int PROBE_REMOVE = 2;
    /** {@code GST_BUFFER_FLAG_DELTA_UNIT} (a frame that is not a keyframe). */
    static final int BUFFER_FLAG_DELTA_UNIT = (1 << 4) << 9;
    /** {@code GST_FORMAT_TIME}. */
    static final int FORMAT_TIME = 3;
    /** {@code GST_CLOCK_TIME_NONE}. */
    static final long CLOCK_TIME_NONE = -1L;
    /** Event types: {@code GST_EVENT_MAKE_TYPE(num, flags)} = num << 8 | flags (downstream 2, serialized 4, sticky 8). */
    static final int EVENT_EOS = (110 << 8) | 2 | 4 | 8;
    static final int EVENT_CAPS = (50 << 8) | 2 | 4 | 8;
    static final int EVENT_SEGMENT = (70 << 8) | 2 | 4 | 8;

    /** Offsets of fields read directly from native structures (macros in C), checked at class load. */
    static final long BUFFER_PTS;
    static final long BUFFER_DTS;
    static final long BUFFER_DURATION;
    static final long EVENT_TYPE;
    static final long PROBE_INFO_DATA;
    static final long MESSAGE_SRC;

    /** Native threads that run probe callbacks stay attached to the JVM (no attach/detach per frame). */
    static final CallbackThreadInitializer STREAMING_THREADS = new CallbackThreadInitializer(true, false,
            "gst-streaming");

    static {
        Native.register(GstNative.class, NativeLibrary.getInstance("gstreamer-1.0"));
        BUFFER_PTS = new BufferLayout().offset("pts");
        BUFFER_DTS = new BufferLayout().offset("dts");
        PROBE_INFO_DATA = new ProbeInfoLayout().offset("data");
        MESSAGE_SRC = new MessageLayout().offset("src");
        BUFFER_DURATION = new BufferLayout().offset("duration");
        EVENT_TYPE = new EventLayout().offset("type");
        checkLayout();
    }

    private GstNative() {
    }

    /** {@code GstPadProbeCallback}: {@code GstPadProbeReturn (*)(GstPad*, GstPadProbeInfo*, gpointer)}. */
    interface ProbeCallback extends Callback {
        int probe(Pointer pad, Pointer info, Pointer userData);
    }

    // ---- pads and probes ----
    static native NativeLong gst_pad_add_probe(Pointer pad, int mask, ProbeCallback callback, Pointer userData,
            Pointer destroy);

    static native void gst_pad_remove_probe(Pointer pad, NativeLong id);

    static native Pointer gst_pad_probe_info_get_buffer(Pointer info);

    static native Pointer gst_pad_probe_info_get_event(Pointer info);

    static native boolean gst_pad_send_event(Pointer pad, Pointer event);

    static native void gst_pad_set_offset(Pointer pad, long offset);

    // ---- buffers and events ----
    static native NativeLong gst_buffer_get_size(Pointer buffer);

    static native int gst_buffer_get_flags(Pointer buffer);

    static native Pointer gst_buffer_new();

    static native Pointer gst_event_new_eos();

    static native void gst_event_parse_segment(Pointer event, PointerByReference segment);

    static native void gst_event_parse_caps(Pointer event, PointerByReference caps);

    static native Pointer gst_segment_copy(Pointer segment);

    static native void gst_segment_free(Pointer segment);

    static native long gst_segment_to_running_time(Pointer segment, int format, long position);

    static native Pointer gst_mini_object_ref(Pointer object);

    static native Pointer gst_mini_object_make_writable(Pointer object);

    static native void gst_mini_object_unref(Pointer object);

    // ---- caps ----
    static native boolean gst_caps_is_equal(Pointer a, Pointer b);

    static native int gst_caps_get_size(Pointer caps);

    static native Pointer gst_caps_get_structure(Pointer caps, int index);

    static native Pointer gst_caps_to_string(Pointer caps);

    static native String gst_structure_get_name(Pointer structure);

    static native String gst_structure_get_string(Pointer structure, String field);

    static native boolean gst_structure_get_int(Pointer structure, String field, int[] value);

    // ---- clock ----
    static native Pointer gst_element_get_clock(Pointer element);

    static native long gst_element_get_base_time(Pointer element);

    static native long gst_clock_get_time(Pointer clock);

    static native void gst_object_unref(Pointer object);

    static native Pointer gst_object_get_path_string(Pointer object);

    // ---- messages ----
    static native void gst_message_parse_error(Pointer message, PointerByReference error, PointerByReference debug);

    static native void gst_message_parse_warning(Pointer message, PointerByReference error, PointerByReference debug);

    // ---- reading fields that C reads through macros ----

    /** {@code GST_PAD_PROBE_INFO_TYPE(info)}: the first field of {@code GstPadProbeInfo}. */
    static int probeType(Pointer info) {
        return info.getInt(0);
    }

    static long pts(Pointer buffer) {
        return buffer.getLong(BUFFER_PTS);
    }

    static long dts(Pointer buffer) {
        return buffer.getLong(BUFFER_DTS);
    }

    /**
     * Gives a probe's buffer timestamps the muxer accepts, replacing the probe's data with a writable copy when the
     * buffer is shared. Returns the buffer now in the probe.
     */
    static Pointer setTimestamps(Pointer info, Pointer buffer, long pts, long dts) {
        Pointer b = gst_mini_object_make_writable(buffer);
        if (!b.equals(buffer)) {
            info.setPointer(PROBE_INFO_DATA, b);
        }
        b.setLong(BUFFER_PTS, pts);
        b.setLong(BUFFER_DTS, dts);
        return b;
    }

    static long duration(Pointer buffer) {
        return buffer.getLong(BUFFER_DURATION);
    }

    static boolean isKeyframe(Pointer buffer) {
        return (gst_buffer_get_flags(buffer) & BUFFER_FLAG_DELTA_UNIT) == 0;
    }

    static int eventType(Pointer event) {
        return event.getInt(EVENT_TYPE);
    }

    /** {@code caps} as text, such as {@code video/x-h264, width=(int)1920, ...}. */
    static String capsToString(Pointer caps) {
        if (caps == null) {
            return "";
        }
        Pointer s = gst_caps_to_string(caps);
        try {
            return s == null ? "" : s.getString(0);
        } finally {
            GLibNative.g_free(s);
        }
    }

    /** A string field of the first structure of {@code caps}, or null. */
    static String capsString(Pointer caps, String field) {
        if (caps == null || gst_caps_get_size(caps) == 0) {
            return null;
        }
        return gst_structure_get_string(gst_caps_get_structure(caps, 0), field);
    }

    /** An int field of the first structure of {@code caps}, or -1. */
    static int capsInt(Pointer caps, String field) {
        if (caps == null || gst_caps_get_size(caps) == 0) {
            return -1;
        }
        int[] v = new int[1];
        return gst_structure_get_int(gst_caps_get_structure(caps, 0), field, v) ? v[0] : -1;
    }

    /** The running time of {@code element}'s pipeline now: clock time minus base time; -1 without a clock. */
    static long runningTimeNow(Pointer element) {
        Pointer clock = gst_element_get_clock(element);
        if (clock == null) {
            return -1;
        }
        try {
            return gst_clock_get_time(clock) - gst_element_get_base_time(element);
        } finally {
            gst_object_unref(clock);
        }
    }

    /**
     * The path of the element that posted {@code message}, such as
     * {@code /GstPipeline:camera-front-main-3/GstBin:seg-2/GstFileSink:seg-2-sink}; empty when unknown.
     */
    static String messageSourcePath(Pointer message) {
        Pointer src = message.getPointer(MESSAGE_SRC);
        if (src == null) {
            return "";
        }
        Pointer path = gst_object_get_path_string(src);
        try {
            return path == null ? "" : path.getString(0);
        } finally {
            GLibNative.g_free(path);
        }
    }

    /** What an ERROR or WARNING message says: GError domain, code and message, and the debug text. */
    record ErrorDetails(String domain, int code, String message, String debug) {
    }

    static ErrorDetails parseError(Pointer message, boolean warning) {
        PointerByReference error = new PointerByReference();
        PointerByReference debug = new PointerByReference();
        if (warning) {
            gst_message_parse_warning(message, error, debug);
        } else {
            gst_message_parse_error(message, error, debug);
        }
        String domain = "";
        int code = 0;
        String text = "";
        Pointer e = error.getValue();
        if (e != null) {
            // GError { GQuark domain; gint code; gchar *message; }
            domain = GLibNative.g_quark_to_string(e.getInt(0));
            code = e.getInt(4);
            Pointer m = e.getPointer(8);
            text = m == null ? "" : m.getString(0);
            GLibNative.g_error_free(e);
        }
        Pointer d = debug.getValue();
        String debugText = d == null ? "" : d.getString(0);
        GLibNative.g_free(d);
        return new ErrorDetails(domain == null ? "" : domain, code, text, debugText);
    }

    /** {@code GstMiniObject} followed by the public fields of {@code GstBuffer}: used for field offsets only. */
    public static class BufferLayout extends Structure {
        public NativeLong type;
        public int refcount;
        public int lockstate;
        public int flags;
        public Pointer copy;
        public Pointer dispose;
        public Pointer free;
        public int privUint;
        public Pointer privPointer;
        public Pointer pool;
        public long pts;
        public long dts;
        public long duration;
        public long offset;
        public long offsetEnd;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("type", "refcount", "lockstate", "flags", "copy", "dispose", "free", "privUint",
                    "privPointer", "pool", "pts", "dts", "duration", "offset", "offsetEnd");
        }

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code GstMiniObject} followed by the public fields of {@code GstMessage}: used for field offsets only. */
    public static class MessageLayout extends Structure {
        public NativeLong type0;
        public int refcount;
        public int lockstate;
        public int flags;
        public Pointer copy;
        public Pointer dispose;
        public Pointer free;
        public int privUint;
        public Pointer privPointer;
        public int type;
        public long timestamp;
        public Pointer src;
        public int seqnum;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("type0", "refcount", "lockstate", "flags", "copy", "dispose", "free", "privUint",
                    "privPointer", "type", "timestamp", "src", "seqnum");
        }

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** The public start of {@code GstPadProbeInfo}: used for field offsets only. */
    public static class ProbeInfoLayout extends Structure {
        public int type;
        public NativeLong id;
        public Pointer data;
        public long offset;
        public int size;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("type", "id", "data", "offset", "size");
        }

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** {@code GstMiniObject} followed by the public fields of {@code GstEvent}: used for field offsets only. */
    public static class EventLayout extends Structure {
        public NativeLong type0;
        public int refcount;
        public int lockstate;
        public int flags;
        public Pointer copy;
        public Pointer dispose;
        public Pointer free;
        public int privUint;
        public Pointer privPointer;
        public int type;
        public long timestamp;
        public int seqnum;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("type0", "refcount", "lockstate", "flags", "copy", "dispose", "free", "privUint",
                    "privPointer", "type", "timestamp", "seqnum");
        }

        long offset(String field) {
            return fieldOffset(field);
        }
    }

    /** Reads a new buffer (timestamps unset) and an EOS event through the offsets: refuses a foreign ABI. */
    private static void checkLayout() {
        Pointer buffer = gst_buffer_new();
        try {
            if (pts(buffer) != CLOCK_TIME_NONE || dts(buffer) != CLOCK_TIME_NONE
                    || duration(buffer) != CLOCK_TIME_NONE || buffer.getPointer(BUFFER_PTS - Native.POINTER_SIZE) != null) {
                throw new IllegalStateException("This GStreamer's GstBuffer layout is not the one Vigil knows.");
            }
        } finally {
            gst_mini_object_unref(buffer);
        }
        Pointer eos = gst_event_new_eos();
        try {
            if (eventType(eos) != EVENT_EOS) {
                throw new IllegalStateException("This GStreamer's GstEvent layout is not the one Vigil knows.");
            }
        } finally {
            gst_mini_object_unref(eos);
        }
    }

    /** GLib functions. */
    static final class GLibNative {
        static {
            Native.register(GLibNative.class, NativeLibrary.getInstance("glib-2.0"));
        }

        private GLibNative() {
        }

        static native void g_free(Pointer memory);

        static native void g_error_free(Pointer error);

        static native String g_quark_to_string(int quark);
    }
}
