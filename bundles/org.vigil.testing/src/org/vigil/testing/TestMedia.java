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
 * {@code target/}. Every run goes through {@link Commands}: bounded, output to a file, killed and tried again should
 * it ever hang.
 * <p>
 * Why {@link #segments} adds a live branch: gst-launch-1.0 sets a pipeline to PAUSED, waits for the message that it
 * prerolled, then sets it to PLAYING. splitmuxsink completes its preroll itself (its own async-done, from a streaming
 * thread, holding no lock of the sinks), so the pipeline's "PAUSED" message is posted from that thread, and GstBin
 * (1.22) records whether its last posted state was PLAYING only after the post returns. gst-launch's main thread,
 * woken by the message, can set PLAYING and post "PLAYING" in between; the streaming thread then marks the pipeline
 * as not having posted PLAYING, and the pipeline never forwards the end of stream: gst-launch waits forever after
 * writing every file (GST_DEBUG=bin:6 shows "Not forwarding EOS" without checking the sinks). On this 2-core machine
 * under load 7 to 13 runs in 40 hung. A live source makes the pipeline answer PAUSED with NO_PREROLL, so gst-launch
 * sets PLAYING at once and the pipeline's own continuation, not a second thread, posts PLAYING after the preroll. The
 * files are byte for byte the same (but for the creation times). Pipelines ending in filesink do not have the race
 * (the sink's preroll lock holds the main thread until the post returned).
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
        run(List.of("gst-launch-1.0", "-q", "-e", "videotestsrc", "is-live=true", "num-buffers=1", "!", "fakesink",
                "videotestsrc", "pattern=ball", "num-buffers=" + count * seconds * fps,
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
