package org.vigil.democam.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vigil.democam.internal.RtspDemoServer.Mount;

/** The pipelines the demo camera serves, from its settings. Pure text: tested without GStreamer. */
final class DemoMounts {
    static final String H264 = "/h264";
    static final String H265 = "/h265";
    static final String MJPEG = "/mjpeg";
    static final String H264_AAC = "/h264-aac";

    static final List<String> VIDEO_ELEMENTS = List.of("videotestsrc", "clockoverlay", "timeoverlay", "videoconvert");
    static final List<String> H264_ELEMENTS = List.of("x264enc", "rtph264pay");
    static final List<String> H265_ELEMENTS = List.of("x265enc", "rtph265pay");
    static final List<String> MJPEG_ELEMENTS = List.of("jpegenc", "rtpjpegpay");
    static final List<String> AAC_ELEMENTS = List.of("audiotestsrc", "audioconvert", "audioresample", "rtpmp4gpay");

    private DemoMounts() {
    }

    /**
     * A moving test picture with the wall clock (top left) and the running time to the millisecond (bottom right),
     * so that every frame differs from the one before.
     */
    static String picture(DemoCameraConfig c) {
        return "videotestsrc is-live=true pattern=ball ! video/x-raw,width=" + c.width() + ",height=" + c.height()
                + ",framerate=" + c.framerate() + "/1 ! clockoverlay time-format=\"%Y-%m-%d %H:%M:%S\" "
                + "halignment=left valignment=top ! timeoverlay halignment=right valignment=bottom "
                + "! videoconvert ! video/x-raw,format=I420";
    }

    static String h264(DemoCameraConfig c) {
        return picture(c) + " ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=" + c.keyframe_interval()
                + " bitrate=" + c.bitrate_kbps() + " ! video/x-h264,profile=baseline"
                + " ! rtph264pay name=pay0 pt=96 config-interval=1";
    }

    static String h265(DemoCameraConfig c) {
        return picture(c) + " ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max=" + c.keyframe_interval()
                + " bitrate=" + c.bitrate_kbps() + " ! rtph265pay name=pay0 pt=96 config-interval=1";
    }

    static String mjpeg(DemoCameraConfig c) {
        return picture(c) + " ! jpegenc quality=" + c.jpeg_quality() + " ! rtpjpegpay name=pay0 pt=26";
    }

    /** H.264 plus a ticking AAC tone, 48 kHz mono, 64 kbit/s. */
    static String h264WithAac(DemoCameraConfig c, String aacEncoder) {
        return h264(c) + " audiotestsrc is-live=true wave=ticks ! audioconvert ! audioresample "
                + "! audio/x-raw,rate=48000,channels=1 ! " + aacEncoder + " bitrate=64000 "
                + "! rtpmp4gpay name=pay1 pt=97";
    }

    /** The mounts to serve: those whose elements are installed ({@code installed} answers per element). */
    static List<Mount> plan(DemoCameraConfig c, java.util.function.Predicate<List<String>> installed,
            Optional<String> aacEncoder) {
        List<Mount> mounts = new ArrayList<>();
        if (!installed.test(VIDEO_ELEMENTS)) {
            return mounts;
        }
        if (installed.test(H264_ELEMENTS)) {
            mounts.add(new Mount(H264, h264(c)));
            if (c.audio() && aacEncoder.isPresent() && installed.test(AAC_ELEMENTS)) {
                mounts.add(new Mount(H264_AAC, h264WithAac(c, aacEncoder.get())));
            }
        }
        if (installed.test(H265_ELEMENTS)) {
            mounts.add(new Mount(H265, h265(c)));
        }
        if (installed.test(MJPEG_ELEMENTS)) {
            mounts.add(new Mount(MJPEG, mjpeg(c)));
        }
        return mounts;
    }
}
