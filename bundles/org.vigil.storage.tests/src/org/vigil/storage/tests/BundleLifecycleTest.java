package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.job.Job;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.StorageService;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.disk.SegmentPaths;
import org.vigil.testing.Await;
import org.vigil.testing.ProcessProbe;

/**
 * Stopping the storage bundle of a running instance while a catalog query, an import and a deletion job run: the
 * jobs stop (the file in hand finished or rolled back), the query ends with a sentence instead of hanging, no handle
 * on {@code catalog.db} stays open, Vigil's threads and the process's open files are back within 10 s, and after a
 * start the catalog is consistent and new segments are catalogued again.
 */
class BundleLifecycleTest {
    static final Duration SETTLE = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The system bundle's context: the storage bundle's own is invalid once it stops. */
    private final BundleContext system = FrameworkUtil.getBundle(BundleLifecycleTest.class).getBundleContext()
            .getBundle(0).getBundleContext();
    private final List<Path> dirs = new ArrayList<>();

    /** What a leak would grow, read from the process. */
    record Level(int fds, int catalogFiles, Set<String> vigilThreads, int nativeThreads) {
        static Level now() {
            Set<String> vigil = new TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                String n = t.getName();
                if (t.isAlive() && n.startsWith("vigil")) {
                    vigil.add(n.split(" ", 2)[0]); // the scheduler names a thread after its task while it runs it
                }
            }
            return new Level(ProcessProbe.openFileDescriptors(), openCatalogFiles(), vigil, ProcessProbe.threads());
        }
    }

    @AfterEach
    void startAgain() throws Exception {
        Bundle b = bundle("org.vigil.storage");
        if (b.getState() != Bundle.ACTIVE) {
            b.start();
        }
        for (Path d : dirs) {
            TestDirs.deleteTree(d);
        }
    }

    @Test
    void stoppingTheBundleWhileAQueryAnImportAndADeletionRunReleasesTheCatalogAndItComesBackConsistent()
            throws Exception {
        StorageService storage = service(StorageService.class);
        assertTrue(Await.until(WAIT, () -> storage.status().canRecord()), storage.status().toString());
        RecordingStore store = (RecordingStore) storage;
        RecordingCatalog catalog = service(RecordingCatalog.class);
        String deleted = TestDirs.camera("lcdel");
        String imported = TestDirs.camera("lcimp");
        Instant t = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        bulk(store, deleted, t, 3000);
        Path source = TestDirs.fresh("lifecycle-import");
        dirs.add(source);
        Path day = Files.createDirectories(source.resolve(imported).resolve("20250303"));
        for (int i = 0; i < 300; i++) {
            Files.createLink(day.resolve(String.format("%02d%02d00.mp4", i / 60, i % 60)), Media.get(Media.PLAIN));
        }
        // the job runner's threads and the catalog's connections once, so that the baseline has them
        Await.result(storage.check(false).result(), WAIT);
        Await.result(storage.check(false).result(), WAIT);
        assertEquals(3000, rows(catalog, deleted).size());
        Level base = Level.now();
        assertTrue(base.catalogFiles() > 0, "the catalog is open while the bundle runs");

        Job<DeletionReport> deletion = storage.delete(new DeletionRequest(SegmentSelection.of(deleted, Instant.EPOCH,
                Instant.now()), false));
        Job<CheckReport> importing = storage.importTree(source, false);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger queries = new AtomicInteger();
        AtomicReference<Throwable> queryEnd = new AtomicReference<>();
        Thread query = new Thread(() -> {
            try {
                while (!stop.get()) {
                    catalog.segments(SegmentQuery.of(deleted, Instant.EPOCH, Instant.now()));
                    catalog.days(Set.of(deleted, imported));
                    catalog.totals();
                    queries.incrementAndGet();
                }
            } catch (Throwable e) {
                queryEnd.set(e);
            }
        }, "test catalog queries");
        query.start();
        try {
            assertTrue(Await.until(WAIT, () -> (deletion.progress().done() >= 50 || deletion.state().isFinished())
                    && (importing.progress().done() >= 10 || importing.state().isFinished()) && queries.get() > 0),
                    "the jobs and the queries run");
            boolean jobsRunning = !deletion.state().isFinished() && !importing.state().isFinished();

            Bundle bundle = bundle("org.vigil.storage");
            long t0 = System.nanoTime();
            bundle.stop();
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(deletion.state().isFinished() && importing.state().isFinished(),
                    "the stop waited for both jobs: " + deletion.state() + ", " + importing.state());
            assertEquals(0, openCatalogFiles(), "no handle on catalog.db once the bundle stopped");
            query.join(SETTLE.toMillis());
            assertFalse(query.isAlive(), "the queries end after the stop (they do not hang)");
            Throwable end = queryEnd.get();
            assertTrue(end instanceof RuntimeException && end.getMessage() != null && !end.getMessage().isBlank(),
                    "a query on the stopped catalog fails with a sentence: " + end);
            boolean settled = Await.until(SETTLE, () -> {
                Level l = Level.now();
                return l.fds() <= base.fds() - base.catalogFiles() && base.vigilThreads().containsAll(l.vigilThreads());
            });
            Level after = Level.now();
            System.out.println("[measure] storage bundle stop with a deletion (" + deletion.progress().done()
                    + " of 3000 done), an import (" + importing.progress().done() + " of 300) and queries ("
                    + queries.get() + " rounds) running" + (jobsRunning ? "" : " (a job had finished before the stop)")
                    + ": " + stopMillis + " ms\n  before: " + base + "\n  after:  " + after + "\n  open files: "
                    + ProcessProbe.openFileKinds());
            assertTrue(settled, "open files and Vigil's threads back within " + SETTLE.toSeconds() + " s:\n  before: "
                    + base + "\n  after:  " + after);
            assertTrue(noPartFiles(store.recordingsRoot().resolve(imported)), "the import left no temporary file");
        } finally {
            stop.set(true);
            query.join(SETTLE.toMillis());
        }

        bundle("org.vigil.storage").start();
        StorageService again = service(StorageService.class);
        assertTrue(Await.until(WAIT, () -> again.status().canRecord()), again.status().toString());
        CheckReport check = Await.result(again.check(false).result(), WAIT);
        assertFalse(check.foundProblems(), "catalog and disk agree after the restart: " + check.summary() + " "
                + check.details());
        String camera = TestDirs.camera("lcnew");
        Instant s = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SegmentReservation r = again.reserveSegment(camera, s, Container.MP4);
        Files.copy(Media.get(Media.FRAGMENTED), r.path());
        service(SegmentListener.class).segmentClosed(new ClosedSegment(camera, r.path(), s, s.plusSeconds(4), 100,
                Files.size(r.path()), Codec.H264));
        RecordingCatalog catalogAgain = service(RecordingCatalog.class);
        assertTrue(Await.until(SETTLE, () -> rows(catalogAgain, camera).size() == 1), "a new segment is catalogued");
        assertEquals(SegmentState.RECORDED, rows(catalogAgain, camera).get(0).state());
    }

    // ---- helpers ----

    /** {@code count} one-minute segments of {@code camera}: hard links of one recording, catalogued straight in. */
    private static void bulk(RecordingStore store, String camera, Instant from, int count) throws Exception {
        Path source = Media.get(Media.FRAGMENTED);
        long size = Files.size(source);
        Path root = store.recordingsRoot();
        List<NewSegment> rows = new ArrayList<>();
        Set<Path> folders = new HashSet<>();
        Instant t = from;
        for (int i = 0; i < count; i++) {
            String rel = SegmentPaths.segment(camera, LocalDateTime.ofInstant(t, ZoneId.systemDefault()),
                    Container.MP4, 0);
            Path p = root.resolve(rel);
            if (folders.add(p.getParent())) {
                Files.createDirectories(p.getParent());
            }
            Files.createLink(p, source);
            rows.add(new NewSegment(camera, t.toEpochMilli(), t.plusSeconds(60).toEpochMilli(), rel, size, 100,
                    Codec.H264, SegmentState.RECORDED));
            t = t.plusSeconds(60);
        }
        store.store().insert(rows);
    }

    private static List<Segment> rows(RecordingCatalog catalog, String camera) {
        List<Segment> all = new ArrayList<>();
        for (String c : List.of(camera)) {
            SegmentQuery q = SegmentQuery.of(c, Instant.EPOCH, Instant.now().plusSeconds(3600));
            var page = catalog.segments(q);
            all.addAll(page.items());
            while (page.next().isPresent()) {
                page = catalog.segments(q.after(page.next().get()));
                all.addAll(page.items());
            }
        }
        return all;
    }

    private static boolean noPartFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.noneMatch(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".") || n.endsWith(".part") || n.endsWith(".tmp");
            });
        }
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        AtomicReference<T> found = new AtomicReference<>();
        assertTrue(Await.until(WAIT, () -> {
            ServiceReference<T> ref = system.getServiceReference(type);
            T s = ref == null ? null : system.getService(ref);
            found.set(s);
            return s != null;
        }), "no " + type.getSimpleName() + " within " + WAIT.toSeconds() + " s");
        return found.get();
    }

    private Bundle bundle(String name) {
        for (Bundle b : system.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }

    /** This process's open files on the recordings catalog ({@code catalog.db}, its WAL and shared memory). */
    static int openCatalogFiles() {
        int n = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd).getFileName();
                    if (target != null && target.toString().startsWith("catalog.db")) {
                        n++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }
}
