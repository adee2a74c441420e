package org.vigil.playback.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.testing.Await;

/**
 * Puts recordings into the catalog the way the recorder does: reserve the segment's path with the storage service,
 * write the file there, announce it closed to the segment listener (the catalog), and wait until it is catalogued.
 */
final class Library {
    /** A token of this test run: camera ids are unique per run, so recordings of earlier runs never interfere. */
    static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private static final AtomicInteger CAMERAS = new AtomicInteger();
    /** 2026-01-10 10:00 local: recordings of the tests are placed from here on. */
    static final Instant BASE = LocalDateTime.of(2026, 1, 10, 10, 0).atZone(ZoneId.systemDefault()).toInstant();

    private final StorageService storage;
    private final SegmentListener listener;
    private final RecordingCatalog catalog;

    Library(StorageService storage, SegmentListener listener, RecordingCatalog catalog) {
        this.storage = storage;
        this.listener = listener;
        this.catalog = catalog;
    }

    /** A camera id not used before in this run. */
    static String camera(String purpose) {
        return (purpose + "-" + RUN + "-" + CAMERAS.incrementAndGet()).toLowerCase(Locale.ROOT);
    }

    void ready() throws InterruptedException {
        if (!Await.until(Duration.ofSeconds(30), () -> storage.status().state() == StorageState.READY
                || storage.status().canRecord())) {
            throw new AssertionError("the recordings storage is not ready: " + storage.status());
        }
    }

    /** Records {@code media} as a segment of {@code camera} from {@code start}, {@code length} long. */
    Path add(String camera, Instant start, Path media, Duration length, long frames) throws Exception {
        Path path = storage.reserveSegment(camera, start, Container.MP4).path();
        Files.copy(media, path, StandardCopyOption.REPLACE_EXISTING);
        listener.segmentClosed(new ClosedSegment(camera, path, start, start.plus(length), frames, Files.size(path),
                Codec.H264));
        return path;
    }

    /** Records contiguous segments from {@code start} (each {@code seconds} long); returns their catalog paths. */
    List<Path> addRun(String camera, Instant start, List<Path> media, int seconds) throws Exception {
        List<Path> paths = new ArrayList<>();
        Instant t = start;
        for (Path m : media) {
            paths.add(add(camera, t, m, Duration.ofSeconds(seconds), (long) seconds * Media.FPS));
            t = t.plusSeconds(seconds);
        }
        return paths;
    }

    /** Waits until the catalog lists {@code count} segments of {@code camera}. */
    List<Segment> await(String camera, int count) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<List<Segment>> found =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        boolean ok = Await.until(Duration.ofSeconds(20), () -> {
            found.set(catalog.segments(SegmentQuery.of(camera, Instant.EPOCH, Recordings.FAR_FUTURE)).items());
            return found.get().size() >= count;
        });
        if (!ok) {
            throw new AssertionError("camera " + camera + " has " + found.get().size() + " catalogued segments, not "
                    + count);
        }
        return found.get();
    }
}
