package org.vigil.playback.internal;

import java.util.List;

import org.vigil.api.camera.Codec;

/** The GStreamer elements that parse and decode each recorded encoding. */
final class Codecs {
    private Codecs() {
    }

    static String parser(Codec codec) {
        return switch (codec) {
            case H264 -> "h264parse";
            case H265 -> "h265parse";
            case MJPEG -> "jpegparse";
            default -> throw new IllegalArgumentException("no parser for " + codec);
        };
    }

    static String decoder(Codec codec) {
        return switch (codec) {
            case H264 -> "avdec_h264";
            case H265 -> "avdec_h265";
            case MJPEG -> "jpegdec";
            default -> throw new IllegalArgumentException("no decoder for " + codec);
        };
    }

    /**
     * The decoder with its options: never fail the pipeline on a damaged frame (it is dropped instead), and decode on
     * one thread. libav's frame threads each pay a warm-up of 50-100 ms on their first frames in a new pipeline
     * (measured on 1080p H.264, 2 cores): opening took 400-600 ms with them and about 230 ms without, while a warm
     * decoder decodes about as fast either way here (4-5 ms a 1080p frame). Several cameras of a session decode in
     * parallel on their own threads.
     */
    static String decoderWithOptions(Codec codec) {
        return codec == Codec.MJPEG ? decoder(codec) : decoder(codec) + " max-errors=-1 max-threads=1";
    }

    /** Elements playback of {@code codec} needs. */
    static List<String> playbackElements(Codec codec) {
        return List.of("appsrc", parser(codec), decoder(codec), "queue", "videoscale", "videoconvert", "capsfilter",
                "appsink");
    }

    /** The muxer a clip of {@code codec} is exported with, and the file kind it makes. */
    static String exportMuxer(Codec codec) {
        return codec == Codec.MJPEG ? "matroskamux" : "mp4mux";
    }

    /** The file name endings of the container {@link #exportMuxer} writes; the first is the one to suggest. */
    static java.util.List<String> exportExtensions(Codec codec) {
        return codec == Codec.MJPEG ? java.util.List.of(".mkv") : java.util.List.of(".mp4", ".m4v", ".mov");
    }

    /** Endings of video containers, so that a clip is never written under another container's name. */
    static final java.util.Set<String> VIDEO_EXTENSIONS = java.util.Set.of(".mp4", ".m4v", ".mov", ".mkv", ".webm",
            ".avi", ".ts", ".mts", ".m2ts", ".3gp", ".flv", ".wmv", ".mpg", ".mpeg");
}
