package org.vigil.media.tests;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.FrameworkUtil;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;
import org.vigil.testing.TestMedia;

/**
 * Real recordings made once per build with gst-launch-1.0 (cached in {@code target/test-media}) by the muxers the
 * recorder uses, and copies of them cut or damaged the way a crash, a full disk or a bad sector leaves them.
 */
final class Media {
    /** Fragmented MP4 (1 s fragments, as the recorder writes), H.264 noise, 4 s, 100 frames, a keyframe a second. */
    static final String FRAGMENTED = "fragmented-4s.mp4";
    /** Plain MP4 (index at the end, as the old application wrote), H.264, 10 s, 250 frames, a keyframe each 2 s. */
    static final String PLAIN = "plain-10s.mp4";
    /** H.265 in fragmented MP4, 4 s, 100 frames. */
    static final String H265 = "h265-4s.mp4";
    /** MJPEG in Matroska (how the recorder stores MJPEG), 4 s, 100 frames. */
    static final String MJPEG = "mjpeg-4s.mkv";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Media() {
    }

    /** {@code target/} of the test bundle, from the framework property {@code vigil.data} ({@code target/vigil-data}). */
    static Path target() {
        String data = FrameworkUtil.getBundle(Media.class).getBundleContext().getProperty("vigil.data");
        Path p = data == null ? Path.of("target", "vigil-data") : Path.of(data);
        return p.toAbsolutePath().getParent();
    }

    static Path get(String name) throws IOException, InterruptedException {
        Path file = Files.createDirectories(target().resolve("test-media")).resolve(name);
        String src = "videotestsrc pattern=ball num-buffers=%d ! video/x-raw,framerate=25/1,width=320,height=240 ! ";
        String pipeline = switch (name) {
            case FRAGMENTED -> src.replace("pattern=ball", "pattern=snow").formatted(100) + "x264enc key-int-max=25"
                    + " bitrate=1800 speed-preset=ultrafast ! h264parse ! mp4mux fragment-duration=1000";
            case PLAIN -> src.formatted(250) + "x264enc key-int-max=50 speed-preset=ultrafast ! h264parse ! mp4mux";
            case H265 -> src.formatted(100) + "x265enc key-int-max=25 speed-preset=ultrafast ! h265parse"
                    + " ! mp4mux fragment-duration=1000";
            case MJPEG -> src.formatted(100) + "jpegenc ! matroskamux";
            default -> throw new IllegalArgumentException(name);
        };
        return TestMedia.file(file, pipeline);
    }

    /** Two 4 s segments cut by splitmuxsink (the second with a random-access index in running time). */
    static List<Path> segments() throws IOException, InterruptedException {
        return TestMedia.segments(target().resolve("test-media").resolve("segments"), 2, 4, 25, 25);
    }

    /** A fresh folder for one test's files. */
    static Path work(String name) throws IOException {
        return Files.createDirectories(target().resolve("test-work").resolve(name + "-" + ProcessHandle.current().pid()
                + "-" + COUNTER.incrementAndGet()));
    }

    /** A copy of {@code bytes} as a file in {@code dir}. */
    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static MediaIndex parse(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            return MediaParser.parse(ch);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
