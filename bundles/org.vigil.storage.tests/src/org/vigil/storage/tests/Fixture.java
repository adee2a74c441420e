package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.StorageSettings;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.storage.internal.disk.LocalDiskPlugin;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * A storage service on its own data folder, built like the DS component builds it (constructor injection) with the
 * framework's real scheduler and job runner, the local-disk plugin, a real SQLite catalog and real recordings.
 */
final class Fixture implements AutoCloseable {
    static final ZoneId ZONE = ZoneId.systemDefault();

    final Path dataDir;
    final Path root;
    final RecordingStore store;
    final LocalDiskPlugin plugin = new LocalDiskPlugin();

    private Fixture(Path dataDir, Path root, RecordingStore store) {
        this.dataDir = dataDir;
        this.root = root;
        this.store = store;
    }

    /** Retention without an emergency window worth speaking of (1 s), so that tests choose what they exercise. */
    static RetentionSettings retention(double minFree, long reserveBytes) {
        return new RetentionSettings(minFree, 2, Duration.ofSeconds(1), reserveBytes, Duration.ofMinutes(10));
    }

    static Fixture open(Path dataDir, Scheduler scheduler, JobRunner jobs) throws Exception {
        return open(dataDir, dataDir.resolve("recordings"), scheduler, jobs, retention(0, 0), false);
    }

    static Fixture open(Path dataDir, Path root, Scheduler scheduler, JobRunner jobs, RetentionSettings retention,
            boolean background) throws Exception {
        StorageSettings settings = new StorageSettings(root, retention, Duration.ofMillis(100), ZONE, background);
        RecordingStore store = new RecordingStore(dataDir, scheduler, jobs, settings);
        Fixture f = new Fixture(dataDir, root, store);
        store.addPlugin(f.plugin, Map.of());
        store.refreshStatus();
        return f;
    }

    /** Records one segment as a recorder would: reserve, write the file, announce it closed. */
    Path record(String camera, Instant start, Duration length, String media, long frames) throws Exception {
        SegmentReservation r = store.reserveSegment(camera, start, SegmentPaths.containerOf(media));
        Files.copy(Media.get(media), r.path(), StandardCopyOption.REPLACE_EXISTING);
        store.segmentClosed(new ClosedSegment(camera, r.path(), start, start.plus(length), frames,
                Files.size(r.path()), codecOf(media)));
        return r.path();
    }

    static Codec codecOf(String media) {
        return switch (media) {
            case Media.H265 -> Codec.H265;
            case Media.MJPEG -> Codec.MJPEG;
            default -> Codec.H264;
        };
    }

    void flush() {
        assertTrue(store.flushAnnouncements(), "every announced segment was catalogued");
    }

    /**
     * Many segments at once: hard links of one real recording in the layout, catalogued straight into the store (the
     * announcement path is tested on its own; this is for data sets of thousands).
     */
    List<String> bulk(String camera, Instant from, int count, Duration each, Duration gap, String media)
            throws Exception {
        Path source = Media.get(media);
        long size = Files.size(source);
        List<NewSegment> rows = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        Instant t = from;
        Set<Path> folders = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String rel = SegmentPaths.segment(camera, LocalDateTime.ofInstant(t, ZONE), Container.MP4, 0);
            Path p = root.resolve(rel);
            if (folders.add(p.getParent())) {
                Files.createDirectories(p.getParent());
            }
            Files.createLink(p, source);
            rows.add(new NewSegment(camera, t.toEpochMilli(), t.plus(each).toEpochMilli(), rel, size, 100,
                    codecOf(media), SegmentState.RECORDED));
            paths.add(rel);
            t = t.plus(each).plus(gap);
        }
        store.store().insert(rows);
        return paths;
    }

    /** Every row has its file (same size), every recording file has a row, no deletion is left half-done. */
    void assertConsistent() throws IOException, SQLException {
        Map<String, Long> files = new HashMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).forEach(p -> {
                    String rel = root.relativize(p).toString();
                    if (!rel.startsWith(".") && !p.getFileName().toString().equals(SegmentPaths.PROTECTED_LIST)) {
                        try {
                            files.put(rel, Files.size(p));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
        }
        Map<String, Long> rows = new HashMap<>();
        for (String camera : store.cameras()) {
            store.store().rowsOfCamera(camera, (SegmentRow r) -> rows.put(r.path(), r.bytes()));
        }
        for (Map.Entry<String, Long> r : rows.entrySet()) {
            assertEquals(r.getValue(), files.get(r.getKey()), "row " + r.getKey() + " has its file, same size");
        }
        for (String f : files.keySet()) {
            assertTrue(rows.containsKey(f), "file " + f + " has a row");
        }
        assertEquals(0, store.store().garbage().size(), "no deletion left half-done");
    }

    long rowCount() throws SQLException {
        return store.store().segmentCount();
    }

    void expectRefused(String camera) {
        try {
            store.reserveSegment(camera, Instant.now(), Container.MP4);
            throw new AssertionError("recording was allowed to write");
        } catch (StorageUnavailableException expected) {
            // refused, with a reason
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
