package org.vigil.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Commands;
import org.vigil.testing.TestMedia;

/**
 * Real recordings in the real catalog for the views' tests, put there the way the recorder does: H.264 files made once
 * per build by gst-launch-1.0 with the recorder's muxer (fragmented MP4), copied to the path the storage service
 * reserves, announced closed to the catalog; then the test waits until the catalog lists them.
 */
final class Recordings {
    static final int FPS = 25;
    /** Length in seconds of each segment of a recorded series. */
    static final int SECONDS = 4;
    /** A token of this run: camera ids are unique per run, so recordings of earlier runs never interfere. */
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    /** 2026-01-10 10:00 local: the tests' recordings start here. */
    static final Instant BASE = LocalDateTime.of(2026, 1, 10, 10, 0).atZone(ZoneId.systemDefault()).toInstant();

    private Recordings() {
    }

    /** The test module's target folder (the test framework's data folder is target/vigil-data). */
    static Path target() {
        String data = FrameworkUtil.getBundle(Recordings.class).getBundleContext().getProperty("vigil.data");
        return Path.of(data).toAbsolutePath().getParent();
    }

    /** A new empty folder under {@code target/test-work}. */
    static Path work(String name) throws IOException {
        return Files.createDirectories(target().resolve("test-work").resolve(name + "-" + System.nanoTime()));
    }

    /** A real H.264 fragmented MP4 of a moving ball, {@code seconds} long, made once per build. */
    static Path media(int seconds) throws Exception {
        return TestMedia.file(target().resolve("test-media").resolve("h264-" + seconds + "s.mp4"),
                "videotestsrc pattern=ball num-buffers=" + seconds * FPS + " ! video/x-raw,framerate=" + FPS
                        + "/1,width=320,height=240 ! x264enc key-int-max=25 bitrate=1500 speed-preset=ultrafast"
                        + " ! h264parse ! mp4mux fragment-duration=1000");
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
        listener.segmentClosed(new ClosedSegment(camera, r.path(), start, start.plus(length), length.toSeconds() * FPS,
                Files.size(r.path()), Codec.H264));
        Segment[] found = new Segment[1];
        Ui.waitUntil("the catalog lists " + r.relativePath(), () -> {
            found[0] = catalog.segmentAt(camera, start.plusMillis(1)).orElse(null);
            return found[0] != null && found[0].relativePath().equals(r.relativePath());
        });
        return found[0];
    }

    /**
     * Records {@code count} contiguous segments of {@link #SECONDS} s of {@code camera} from {@code start} (three
     * different files over and over, each with a running-time overlay) and waits until the catalog lists them all.
     */
    static List<Path> record(StorageService storage, SegmentListener listener, RecordingCatalog catalog,
            String camera, Instant start, int count) throws Exception {
        List<Path> media = TestMedia.segments(target().resolve("test-media").resolve("seg3"), 3, SECONDS, FPS, FPS);
        Ui.waitUntil("the recordings storage is ready", () -> storage.status().canRecord());
        List<Path> paths = new ArrayList<>();
        Instant t = start;
        for (int i = 0; i < count; i++) {
            Path path = storage.reserveSegment(camera, t, Container.MP4).path();
            Files.copy(media.get(i % media.size()), path, StandardCopyOption.REPLACE_EXISTING);
            listener.segmentClosed(new ClosedSegment(camera, path, t, t.plusSeconds(SECONDS), SECONDS * FPS,
                    Files.size(path), Codec.H264));
            paths.add(path);
            t = t.plusSeconds(SECONDS);
        }
        Ui.waitUntil("the catalog lists the recordings of " + camera, () -> catalog.segments(
                SegmentQuery.of(camera, Instant.EPOCH, start.plus(Duration.ofDays(2)))
                        .withLimit(SegmentQuery.MAX_LIMIT)).items().size() >= count);
        return paths;
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

    /** Runs a command line in {@code dir}, bounded; its output when it succeeded, else an exception with it. */
    static String run(Path dir, String... command) throws Exception {
        Commands.Result r = Commands.run(dir, List.of(command), Duration.ofSeconds(120), 1);
        if (r.exit() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    /** What {@code ffprobe -v error} says about a file: empty when it reads cleanly and has a duration. */
    static String ffprobeErrors(Path file) throws Exception {
        Commands.Result r = Commands.run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=nw=1:nk=1", file.toString()), Duration.ofSeconds(60), 1);
        String out = r.output().trim();
        if (r.exit() != 0 || !out.matches("[0-9.]+")) {
            return "exit " + r.exit() + ": " + out;
        }
        return Double.parseDouble(out) > 0 ? "" : "duration " + out;
    }
}
