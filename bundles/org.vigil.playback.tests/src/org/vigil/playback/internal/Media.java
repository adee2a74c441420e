package org.vigil.playback.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.framework.FrameworkUtil;

import org.vigil.testing.TestMedia;

/**
 * Real recordings made with gst-launch-1.0 once per build (cached under {@code target/test-media}), the way the
 * recorder's muxer writes them: H.264 from x264enc with a running-time overlay (every frame differs) cut into
 * fragmented MP4 segments by splitmuxsink ({@code mp4mux fragment-duration=1000}). Segments after the first carry a
 * random-access index in running time, as recorder segments do.
 */
final class Media {
    /** Frames per second of every test recording. */
    static final int FPS = 25;
    static final long FRAME_NANOS = 1_000_000_000L / FPS;

    private Media() {
    }

    /** {@code target/} of the test bundle, from the framework property {@code vigil.data} (its {@code vigil-data}). */
    static Path target() {
        String data = FrameworkUtil.getBundle(Media.class).getBundleContext().getProperty("vigil.data");
        Path p = data == null ? Path.of("target", "vigil-data") : Path.of(data);
        return p.toAbsolutePath().getParent();
    }

    static Path dir() throws IOException {
        return Files.createDirectories(target().resolve("test-media"));
    }

    /** A new empty folder for one test's files. */
    static Path work(String name) throws IOException {
        return Files.createDirectories(target().resolve("test-work").resolve(name + "-" + Library.RUN + "-"
                + System.nanoTime()));
    }

    /**
     * {@code count} contiguous segments of {@code seconds} each, 320x240, a keyframe every {@code gopFrames}.
     */
    static List<Path> segments(String name, int count, int seconds, int gopFrames)
            throws IOException, InterruptedException {
        return TestMedia.segments(dir().resolve(name), count, seconds, FPS, gopFrames);
    }

    /** A plain MP4 (index at the end) of {@code frames} frames, or MJPEG in Matroska with {@code mkv}. */
    static Path single(String name, String encoder, String muxer, int frames) throws IOException, InterruptedException {
        return TestMedia.file(dir().resolve(name), "videotestsrc pattern=ball num-buffers=" + frames
                + " ! video/x-raw,width=320,height=240,framerate=" + FPS + "/1 ! " + encoder + " ! " + muxer);
    }

    /** The first {@code bytes} bytes of {@code source}: what a crash or a full disk leaves. */
    static Path cut(Path source, long bytes, Path into) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Path out = into.resolve("cut-" + bytes + "-" + source.getFileName());
        Files.write(out, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
        return out;
    }
}
