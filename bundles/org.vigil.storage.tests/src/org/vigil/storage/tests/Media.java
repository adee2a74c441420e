package org.vigil.storage.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.vigil.testing.TestMedia;

/**
 * Real recordings made once per build with gst-launch-1.0 (cached in {@code target/test-media}): the same muxers the
 * recorder uses. Durations and frame counts are known, so probes and catalog rows can be checked against them.
 */
final class Media {
    /** Fragmented MP4 (1 s fragments, as the recorder writes), H.264, 4 s, 100 frames, about 0.9 MB. */
    static final String FRAGMENTED = "fragmented-4s-noise.mp4";
    /** Plain MP4 (index at the end, as the old application wrote), H.264, 10 s, 250 frames. */
    static final String PLAIN = "plain-10s.mp4";
    /** H.265 in MP4, 4 s, 100 frames. */
    static final String H265 = "h265-4s.mp4";
    /** MJPEG in Matroska, 4 s, 100 frames. */
    static final String MJPEG = "mjpeg-4s.mkv";

    private Media() {
    }

    static Path get(String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(TestDirs.target().resolve("test-media"));
        Path file = dir.resolve(name);
        String src = "videotestsrc pattern=ball num-buffers=%d ! video/x-raw,framerate=25/1,width=320,height=240 ! ";
        String pipeline = switch (name) {
            // noise does not compress: the file really is about 1.8 Mbit/s, like a camera's main stream
            case FRAGMENTED -> src.replace("pattern=ball", "pattern=snow").formatted(100) + "x264enc key-int-max=25"
                    + " bitrate=1800 speed-preset=ultrafast ! h264parse ! mp4mux fragment-duration=1000";
            case PLAIN -> src.formatted(250) + "x264enc key-int-max=50 speed-preset=ultrafast ! h264parse ! mp4mux";
            case H265 -> src.formatted(100) + "x265enc key-int-max=25 speed-preset=ultrafast ! h265parse ! mp4mux";
            case MJPEG -> src.formatted(100) + "jpegenc ! matroskamux";
            default -> throw new IllegalArgumentException(name);
        };
        return TestMedia.file(file, pipeline);
    }

    /** A copy of the first {@code bytes} bytes of a recording: what a crash or a full disk leaves. */
    static Path truncated(String name, long bytes, Path into) throws IOException, InterruptedException {
        byte[] all = Files.readAllBytes(get(name));
        Path out = into.resolve("cut-" + bytes + "-" + name);
        Files.write(out, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
        return out;
    }
}
