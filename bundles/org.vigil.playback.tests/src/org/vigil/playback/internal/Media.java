package org.vigil.playback.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.FrameworkUtil;

import org.vigil.testing.Commands;

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
    static synchronized List<Path> segments(String name, int count, int seconds, int gopFrames)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(dir().resolve(name));
        List<Path> existing = list(dir);
        if (existing.size() == count) {
            return existing;
        }
        for (Path p : existing) {
            Files.delete(p);
        }
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e", "videotestsrc", "pattern=ball",
                "num-buffers=" + count * seconds * FPS, "!", "video/x-raw,width=320,height=240,framerate=" + FPS
                        + "/1", "!", "timeoverlay", "font-desc=Sans 24", "!", "x264enc", "key-int-max=" + gopFrames,
                "bframes=0", "speed-preset=ultrafast", "!", "h264parse", "!", "splitmuxsink",
                "muxer=mp4mux fragment-duration=1000", "max-size-time=" + seconds * 1_000_000_000L,
                "location=" + dir.resolve("seg%02d.mp4")));
        run(cmd);
        List<Path> made = list(dir);
        if (made.size() != count) {
            throw new IOException("gst-launch-1.0 made " + made.size() + " segments instead of " + count + " in "
                    + dir);
        }
        return made;
    }

    /** A plain MP4 (index at the end) of {@code frames} frames, or MJPEG in Matroska with {@code mkv}. */
    static synchronized Path single(String name, String encoder, String muxer, int frames)
            throws IOException, InterruptedException {
        Path file = dir().resolve(name);
        if (Files.exists(file)) {
            return file;
        }
        Path tmp = dir().resolve(name + ".tmp");
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e", "videotestsrc", "pattern=ball",
                "num-buffers=" + frames, "!", "video/x-raw,width=320,height=240,framerate=" + FPS + "/1", "!"));
        cmd.addAll(List.of(encoder.split(" ")));
        cmd.add("!");
        cmd.addAll(List.of(muxer.split(" ")));
        cmd.addAll(List.of("!", "filesink", "location=" + tmp));
        run(cmd);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Commands.Result r = Commands.run(cmd, Duration.ofSeconds(60), 3);
        if (r.exit() != 0) {
            throw new IOException("gst-launch-1.0 failed (" + r.exit() + "): " + r.output() + "\n"
                    + String.join(" ", cmd));
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg*.mp4")) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** The first {@code bytes} bytes of {@code source}: what a crash or a full disk leaves. */
    static Path cut(Path source, long bytes, Path into) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Path out = into.resolve("cut-" + bytes + "-" + source.getFileName());
        Files.write(out, java.util.Arrays.copyOf(all, (int) Math.min(bytes, all.length)));
        return out;
    }
}
