package org.vigil.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.FrameworkUtil;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobState;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StorageService;

/**
 * Real recordings in the real catalog for the views' tests, made the way the backup bundle's tests make them: a file
 * written by gst-launch-1.0 with the recorder's muxer, reserved, written and announced closed as the recorder does.
 */
final class Recordings {
    private Recordings() {
    }

    /** The test module's target folder (the test framework's data folder is target/vigil-data). */
    static Path target() {
        String data = FrameworkUtil.getBundle(Recordings.class).getBundleContext().getProperty("vigil.data");
        return Path.of(data).toAbsolutePath().getParent();
    }

    /** A real H.264 fragmented MP4, {@code seconds} long, made once per build. */
    static synchronized Path media(int seconds) throws Exception {
        Path dir = Files.createDirectories(target().resolve("test-media"));
        Path file = dir.resolve("h264-" + seconds + "s.mp4");
        if (!Files.exists(file)) {
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            run(dir, "gst-launch-1.0", "-q", "-e", "videotestsrc", "pattern=ball", "num-buffers=" + seconds * 25, "!",
                    "video/x-raw,framerate=25/1,width=320,height=240", "!", "x264enc", "key-int-max=25", "bitrate=1500",
                    "speed-preset=ultrafast", "!", "h264parse", "!", "mp4mux", "fragment-duration=1000", "!",
                    "filesink", "location=" + tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        return file;
    }

    /** What writes a segment's file. */
    interface Writer {
        void write(Path path) throws IOException;
    }

    /** Records one segment as the recorder does and waits until the catalog lists it. */
    static Segment record(StorageService storage, SegmentListener listener, RecordingCatalog catalog, String camera,
            Instant start, Duration length, Writer writer) throws Exception {
        Ui.waitUntil("the storage is ready", () -> storage.status().canRecord());
        SegmentReservation r = storage.reserveSegment(camera, start, Container.MP4);
        writer.write(r.path());
        listener.segmentClosed(new ClosedSegment(camera, r.path(), start, start.plus(length), length.toSeconds() * 25,
                Files.size(r.path()), Codec.H264));
        Segment[] found = new Segment[1];
        Ui.waitUntil("the catalog lists " + r.relativePath(), () -> {
            found[0] = catalog.segmentAt(camera, start.plusMillis(1)).orElse(null);
            return found[0] != null && found[0].relativePath().equals(r.relativePath());
        });
        return found[0];
    }

    /** Deletes every recording of the cameras through the storage service (the catalog outlives a run). */
    static void forget(StorageService storage, String... cameras) throws Exception {
        SegmentSelection all = new SegmentSelection(Set.of(cameras), Instant.EPOCH,
                Instant.parse("3000-01-01T00:00:00Z"));
        storage.setProtected(all, false);
        Job<DeletionReport> job = storage.delete(new DeletionRequest(all, false));
        if (!job.await(Duration.ofSeconds(60)) || job.state() != JobState.SUCCEEDED) {
            throw new IllegalStateException("The recordings of " + List.of(cameras) + " could not be deleted: "
                    + job.failure().orElse(job.state().toString()));
        }
    }

    /** Runs a command line; its output when it succeeded, else an exception with it. */
    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 120 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
