package org.vigil.ui.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageService;

/**
 * Real recordings for the views' tests, put into the catalog the way the recorder does: H.264 segments made once by
 * gst-launch-1.0 (a moving ball with a running-time overlay, so every frame differs; fragmented MP4 cut by
 * splitmuxsink), copied to the path the storage service reserves, announced closed to the catalog.
 */
final class SegmentFixture {
    static final int FPS = 25;
    static final int SECONDS = 4;
    /** A token of this run: camera ids are unique per run, so recordings of earlier runs never interfere. */
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    /** 2026-01-10 10:00 local: the tests' recordings start here. */
    static final Instant BASE = LocalDateTime.of(2026, 1, 10, 10, 0).atZone(ZoneId.systemDefault()).toInstant();

    private SegmentFixture() {
    }

    /** The test bundle's {@code target/}. */
    static Path target(BundleContext context) {
        return Path.of(context.getProperty("vigil.data")).toAbsolutePath().getParent();
    }

    /** A new empty folder under {@code target/test-work}. */
    static Path work(BundleContext context, String name) throws IOException {
        return Files.createDirectories(target(context).resolve("test-work").resolve(name + "-" + System.nanoTime()));
    }

    /** {@code count} contiguous segments of {@link #SECONDS} s, made once per build. */
    static synchronized List<Path> media(BundleContext context, int count) throws Exception {
        Path dir = Files.createDirectories(target(context).resolve("test-media").resolve("seg" + count));
        List<Path> existing = list(dir);
        if (existing.size() == count) {
            return existing;
        }
        for (Path p : existing) {
            Files.delete(p);
        }
        Process p = new ProcessBuilder("gst-launch-1.0", "-q", "-e", "videotestsrc", "pattern=ball",
                "num-buffers=" + count * SECONDS * FPS, "!", "video/x-raw,width=320,height=240,framerate=" + FPS
                        + "/1", "!", "timeoverlay", "font-desc=Sans 24", "!", "x264enc", "key-int-max=" + FPS,
                "bframes=0", "speed-preset=ultrafast", "!", "h264parse", "!", "splitmuxsink",
                "muxer=mp4mux fragment-duration=1000", "max-size-time=" + SECONDS * 1_000_000_000L,
                "location=" + dir.resolve("seg%02d.mp4")).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("gst-launch.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("gst-launch-1.0 failed: " + Files.readString(dir.resolve("gst-launch.log")));
        }
        return list(dir);
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.mp4")) {
            s.forEach(found::add);
        }
        found.sort(null);
        return found;
    }

    /** Records {@code count} contiguous segments (the three test files over and over) of {@code camera} from {@code start}; waits until catalogued. */
    static List<Path> record(BundleContext context, StorageService storage, SegmentListener listener,
            RecordingCatalog catalog, String camera, Instant start, int count) throws Exception {
        Ui.waitUntil("the recordings storage is ready", () -> storage.status().canRecord());
        List<Path> paths = new ArrayList<>();
        Instant t = start;
        List<Path> media = media(context, 3);
        for (int i = 0; i < count; i++) {
            Path m = media.get(i % media.size());
            Path path = storage.reserveSegment(camera, t, Container.MP4).path();
            Files.copy(m, path, StandardCopyOption.REPLACE_EXISTING);
            listener.segmentClosed(new ClosedSegment(camera, path, t, t.plusSeconds(SECONDS), SECONDS * FPS,
                    Files.size(path), Codec.H264));
            paths.add(path);
            t = t.plusSeconds(SECONDS);
        }
        Ui.waitUntil("the catalog lists the recordings of " + camera, () -> catalog.segments(
                SegmentQuery.of(camera, Instant.EPOCH, start.plus(Duration.ofDays(2))).withLimit(SegmentQuery.MAX_LIMIT))
                .items().size() >= count);
        return paths;
    }

    /** Runs {@code ffprobe -v error} over a file; the error output, empty when it reads cleanly. */
    static String ffprobeErrors(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=nw=1:nk=1", file.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        String err = new String(p.getErrorStream().readAllBytes()).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "ffprobe did not finish";
        }
        if (p.exitValue() != 0 || !err.isEmpty()) {
            return "exit " + p.exitValue() + ": " + err;
        }
        return Double.parseDouble(out) > 0 ? "" : "duration " + out;
    }
}
