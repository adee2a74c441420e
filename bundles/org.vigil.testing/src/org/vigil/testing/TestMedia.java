package org.vigil.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real recordings for tests, made with gst-launch-1.0 once per build and cached in a folder of the test module's
 * {@code target/}. Every run goes through {@link Commands}: bounded, output to a file, killed and tried again when it
 * hangs (splitmuxsink was seen to hang after writing its last file).
 */
public final class TestMedia {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ATTEMPTS = 3;

    private TestMedia() {
    }

    /**
     * {@code count} contiguous H.264 segments of {@code seconds} each, 320x240 at {@code fps}, a keyframe every
     * {@code gopFrames} frames, no B-frames, a moving ball under a running-time overlay (every frame differs), cut by
     * splitmuxsink into fragmented MP4 ({@code mp4mux fragment-duration=1000}) as the recorder's muxer writes them.
     * Named {@code seg00.mp4}, {@code seg01.mp4}, ... in {@code dir}; made again only when the count differs.
     */
    public static synchronized List<Path> segments(Path dir, int count, int seconds, int fps, int gopFrames)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<Path> existing = list(dir);
        if (existing.size() == count) {
            return existing;
        }
        for (Path p : existing) {
            Files.delete(p);
        }
        run(List.of("gst-launch-1.0", "-q", "-e", "videotestsrc", "pattern=ball", "num-buffers=" + count * seconds * fps,
                "!", "video/x-raw,width=320,height=240,framerate=" + fps + "/1", "!", "timeoverlay",
                "font-desc=Sans 24", "!", "x264enc", "key-int-max=" + gopFrames, "bframes=0", "speed-preset=ultrafast",
                "!", "h264parse", "!", "splitmuxsink", "muxer=mp4mux fragment-duration=1000",
                "max-size-time=" + seconds * 1_000_000_000L, "location=" + dir.resolve("seg%02d.mp4")));
        List<Path> made = list(dir);
        if (made.size() != count) {
            throw new IOException("gst-launch-1.0 made " + made.size() + " segments instead of " + count + " in "
                    + dir);
        }
        return made;
    }

    /**
     * The file {@code file} made by the gst-launch-1.0 pipeline {@code pipeline} (elements separated by {@code !},
     * words by single spaces, without the sink); written to a temporary name and moved into place, so a run that
     * failed never leaves a file that looks made.
     */
    public static synchronized Path file(Path file, String pipeline) throws IOException, InterruptedException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e"));
        cmd.addAll(List.of(pipeline.trim().split(" +")));
        cmd.addAll(List.of("!", "filesink", "location=" + tmp));
        run(cmd);
        if (!Files.exists(tmp)) {
            throw new IOException("gst-launch-1.0 wrote no file: " + String.join(" ", cmd));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Commands.Result r = Commands.run(cmd, TIMEOUT, ATTEMPTS);
        if (r.exit() != 0) {
            throw new IOException("gst-launch-1.0 failed (exit " + r.exit() + "): " + r.output() + "\n"
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
}
