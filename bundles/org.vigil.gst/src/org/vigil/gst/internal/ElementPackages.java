package org.vigil.gst.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every GStreamer element Vigil uses and the Debian package (bookworm, GStreamer 1.22) that provides it. Each line
 * was checked with {@code gst-inspect-1.0 ELEMENT} (plugin file) and {@code dpkg -S} on that file.
 */
public final class ElementPackages {
    static final String CORE = "libgstreamer1.0-0";
    static final String BASE = "gstreamer1.0-plugins-base";
    static final String GOOD = "gstreamer1.0-plugins-good";
    static final String BAD = "gstreamer1.0-plugins-bad";
    static final String UGLY = "gstreamer1.0-plugins-ugly";
    static final String LIBAV = "gstreamer1.0-libav";
    static final String X = "gstreamer1.0-x";

    /** AAC encoders in order of preference: Vigil needs one of them, not all. */
    public static final List<String> AAC_ENCODERS = List.of("avenc_aac", "voaacenc", "fdkaacenc");

    private record Entry(String debianPackage, boolean required) {
    }

    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        // camera input: RTSP, depayloaders, parsers (libgstrtsp.so, libgstrtp.so, libgstvideoparsersbad.so, libgstjpegformat.so)
        need("rtspsrc", GOOD);
        need("rtph264depay", GOOD);
        need("rtph265depay", GOOD);
        need("rtpjpegdepay", GOOD);
        need("rtpmp4gdepay", GOOD);
        need("h264parse", BAD);
        need("h265parse", BAD);
        need("jpegparse", BAD);
        need("aacparse", GOOD); // libgstaudioparsers.so
        // recording and playback containers (libgstmultifile.so, libgstisomp4.so, libgstmatroska.so)
        need("splitmuxsink", GOOD);
        need("splitmuxsrc", GOOD);
        need("mp4mux", GOOD);
        need("qtmux", GOOD);
        need("qtdemux", GOOD);
        need("matroskamux", GOOD);
        need("matroskademux", GOOD);
        // decoding for live view and playback (libgstlibav.so, libgstjpeg.so, libgstplayback.so)
        need("avdec_h264", LIBAV);
        need("avdec_h265", LIBAV);
        need("avdec_aac", LIBAV);
        need("jpegdec", GOOD);
        need("decodebin", BASE);
        // conversion (libgstvideoconvertscale.so, libgstvideorate.so, libgstaudioconvert.so, libgstaudioresample.so)
        need("videoconvert", BASE);
        need("videoscale", BASE);
        need("videorate", BASE);
        need("audioconvert", BASE);
        need("audioresample", BASE);
        // plumbing (libgstcoreelements.so, libgstapp.so)
        need("tee", CORE);
        need("queue", CORE);
        need("capsfilter", CORE);
        need("filesrc", CORE);
        need("filesink", CORE);
        need("fakesink", CORE);
        need("appsink", BASE);
        need("appsrc", BASE);
        // snapshots (libgstpng.so, libgstjpeg.so)
        need("pngenc", GOOD);
        need("jpegenc", GOOD);
        // the demo camera (libgstvideotestsrc.so, libgstaudiotestsrc.so, libgstpango.so, libgstx264.so, libgstx265.so)
        need("videotestsrc", BASE);
        need("audiotestsrc", BASE);
        need("clockoverlay", X);
        need("timeoverlay", X);
        need("x264enc", UGLY);
        need("x265enc", BAD);
        need("rtph264pay", GOOD);
        need("rtph265pay", GOOD);
        need("rtpjpegpay", GOOD);
        need("rtpmp4gpay", GOOD);
        // one AAC encoder of these (libgstlibav.so, libgstvoaacenc.so); fdkaacenc is not packaged by Debian
        optional("avenc_aac", LIBAV);
        optional("voaacenc", BAD);
        optional("fdkaacenc", null);
        // a window for debugging by hand (libgstximagesink.so); Vigil's views draw from appsink
        optional("ximagesink", X);
    }

    private ElementPackages() {
    }

    private static void need(String element, String debianPackage) {
        TABLE.put(element, new Entry(debianPackage, true));
    }

    private static void optional(String element, String debianPackage) {
        TABLE.put(element, new Entry(debianPackage, false));
    }

    /** Every element in the table. */
    public static Set<String> known() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }

    /** The elements Vigil cannot work without (the AAC encoders are a choice, checked separately). */
    public static List<String> required() {
        List<String> r = new ArrayList<>();
        TABLE.forEach((element, entry) -> {
            if (entry.required()) {
                r.add(element);
            }
        });
        return r;
    }

    /** The Debian package providing {@code element}, if Vigil knows it and Debian packages it. */
    public static Optional<String> debianPackage(String element) {
        Entry e = TABLE.get(element);
        return e == null ? Optional.empty() : Optional.ofNullable(e.debianPackage());
    }

    /**
     * One sentence naming the missing elements and what to install, such as "The GStreamer element 'x264enc' is
     * missing; install the Debian package gstreamer1.0-plugins-ugly."
     */
    public static String missingSentence(List<String> missing) {
        if (missing.isEmpty()) {
            throw new IllegalArgumentException("nothing is missing");
        }
        Set<String> packages = new LinkedHashSet<>();
        List<String> unpackaged = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String element : missing) {
            Entry e = TABLE.get(element);
            if (e == null) {
                unknown.add(element);
            } else if (e.debianPackage() == null) {
                unpackaged.add(element);
            } else {
                packages.add(e.debianPackage());
            }
        }
        List<String> quoted = missing.stream().map(m -> "'" + m + "'").toList();
        StringBuilder s = new StringBuilder("The GStreamer ");
        s.append(missing.size() == 1 ? "element " : "elements ").append(join(quoted))
                .append(missing.size() == 1 ? " is missing; " : " are missing; ");
        List<String> advice = new ArrayList<>();
        if (!packages.isEmpty()) {
            advice.add("install the Debian " + (packages.size() == 1 ? "package " : "packages ") + join(new ArrayList<>(packages)));
        }
        if (!unpackaged.isEmpty()) {
            advice.add((unpackaged.size() == 1 ? "Debian does not package " : "Debian does not package these: ")
                    + join(unpackaged.stream().map(m -> "'" + m + "'").toList())
                    + ", so use avenc_aac from gstreamer1.0-libav instead");
        }
        if (!unknown.isEmpty()) {
            advice.add("install the GStreamer plugin that provides " + (unknown.size() == 1 ? "it" : "them"));
        }
        s.append(String.join(", and ", advice)).append('.');
        return s.toString();
    }

    private static String join(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
