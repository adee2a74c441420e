package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.StorageService;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;
import org.vigil.testing.GstProbe;
import org.vigil.testing.ProcessProbe;

/**
 * Stopping the camera bundle (or the storage bundle under it) on a running recorder, with the real storage bundle:
 * the camera bundle's deactivation releases every pipeline, pinned object, thread and open file it had (back to the
 * level before the cameras started, within 10 s), announces its last segments before it is gone, and recording
 * resumes when the bundle starts again; a storage that goes away and comes back loses no catalog row.
 */
class BundleLifecycleTest {
    static final Duration SETTLE = Duration.ofSeconds(10);
    static final Duration START = Duration.ofSeconds(30);

    /** The system bundle's context: the camera bundle's own is invalid once it stops. */
    private BundleContext system;
    private ConfigurationAdmin admin;
    private final List<Configuration> configurations = new ArrayList<>();
    private final List<Registration> viewers = new ArrayList<>();
    private TestCamera camera;
    private Path work;

    /** What a leak would grow, read from the process. */
    record Level(int fds, int vigilThreads, int pinned, int catalogHandles, int pipelines, Set<String> vigil,
            Map<String, Integer> others, int nativeThreads) {
        static Level now() {
            Set<String> vigil = new TreeSet<>();
            Map<String, Integer> others = new TreeMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.isAlive()) {
                    continue;
                }
                String n = t.getName();
                if (n.startsWith("vigil")) {
                    vigil.add(n);
                } else {
                    others.merge(n.replaceAll("[-#\\s]*\\d+$", ""), 1, Integer::sum);
                }
            }
            return new Level(ProcessProbe.openFileDescriptors(), vigil.size(), GstProbe.pinnedObjects(),
                    openCatalogFiles(), TestAccess.unreleasedPipelines(), vigil, others, ProcessProbe.threads());
        }

        boolean backTo(Level base) {
            return pipelines == 0 && fds <= base.fds && vigilThreads <= base.vigilThreads && pinned <= base.pinned
                    && catalogHandles == base.catalogHandles;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        BundleContext own = FrameworkUtil.getBundle(BundleLifecycleTest.class).getBundleContext();
        Only.check(own, BundleLifecycleTest.class);
        system = own.getBundle(0).getBundleContext();
        admin = Harness.service(system, ConfigurationAdmin.class);
        String data = system.getProperty("vigil.data");
        work = Path.of(data == null ? System.getProperty("java.io.tmpdir") : data).resolve("bundle-lifecycle");
        Harness.deleteTree(work);
        StorageService storage = Harness.service(system, StorageService.class);
        for (String id : List.of("lc-a", "lc-b", "lc-held")) {
            Harness.deleteTree(storage.recordingsRoot().resolve(id)); // a earlier run's files, not catalogued here
        }
        camera = TestCamera.start(work, 320, 180, 25, 25);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Registration r : viewers) {
            r.close();
        }
        if (system == null) {
            return; // skipped (vigil.test.only) before anything started
        }
        for (Bundle b : system.getBundles()) {
            String name = b.getSymbolicName();
            if (("org.vigil.camera".equals(name) || "org.vigil.storage".equals(name)) && b.getState() != Bundle.ACTIVE) {
                b.start();
            }
        }
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException e) {
                // already gone
            }
        }
        CameraService cameras = Harness.service(system, CameraService.class);
        Await.until(Duration.ofSeconds(20), () -> cameras.cameras().isEmpty());
        if (camera != null) {
            camera.close();
        }
    }

    @Test
    void stoppingTheCameraBundleWhileCamerasRecordAndViewersWatchReleasesEverythingAndRecordingResumes()
            throws Exception {
        StorageService storage = Harness.service(system, StorageService.class);
        assertTrue(Await.until(START, () -> storage.status().canRecord()), "the storage records: " + storage.status());
        // GStreamer, the RTSP client, the decoders and the catalog's queries once, so that what they keep for the
        // process is in the baseline
        Instant t0 = Instant.now();
        add("lc-a", camera.url("/h264"));
        add("lc-b", camera.url("/h264"), "subUrl", camera.url("/mjpeg"));
        awaitRecording(Harness.service(system, CameraService.class), "lc-a", "lc-b");
        watch(Harness.service(system, LiveFeed.class));
        RecordingCatalog catalog = Harness.service(system, RecordingCatalog.class);
        assertTrue(Await.until(START, () -> rows(catalog, "lc-a", t0).size() >= 1
                && rows(catalog, "lc-b", t0).size() >= 1), "a segment of each camera catalogued");
        removeCameras();
        closeViewers();
        assertTrue(Await.until(SETTLE, () -> TestAccess.unreleasedPipelines() == 0), "warm-up cameras stopped");
        Level base = Level.now();

        Instant from = Instant.now();
        add("lc-a", camera.url("/h264"));
        add("lc-b", camera.url("/h264"), "subUrl", camera.url("/mjpeg"));
        CameraService cameras = Harness.service(system, CameraService.class);
        awaitRecording(cameras, "lc-a", "lc-b");
        AtomicLong[] frames = watch(Harness.service(system, LiveFeed.class));
        assertTrue(Await.until(START, () -> rows(catalog, "lc-a", from).size() >= 1
                && rows(catalog, "lc-b", from).size() >= 1), "a segment of each camera catalogued");
        Level busy = Level.now();
        assertTrue(busy.pipelines() >= 3, "recording pipelines of both cameras and lc-b's sub-stream: " + busy);

        Bundle bundle = bundle("org.vigil.camera");
        long stopStart = System.nanoTime();
        bundle.stop();
        long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
        assertEquals(0, TestAccess.unreleasedPipelines(), "every camera pipeline released when stop() returns");
        assertTrue(system.getServiceReference(CameraService.class) == null, "the camera service is gone");
        long[] seen = { frames[0].get(), frames[1].get(), frames[2].get() };
        boolean settled = Await.until(SETTLE, () -> Level.now().backTo(base));
        Level after = Level.now();
        System.out.println("[measure] camera bundle stop with 2 recording cameras, 3 live viewers: " + stopMillis
                + " ms; before the cameras: " + base + "\n  recording: " + busy + "\n  stopped: " + after);
        assertTrue(settled, "back to the level before the cameras within " + SETTLE.toSeconds() + " s:\n  before: "
                + base + "\n  after:  " + after);
        for (int i = 0; i < seen.length; i++) {
            assertEquals(seen[i], frames[i].get(), "viewer " + i + " gets no frame after the stop");
        }
        for (String id : List.of("lc-a", "lc-b")) {
            assertTrue(Await.until(SETTLE, () -> uncatalogued(catalog, storage, id, t0).isEmpty()),
                    id + ": every segment on disk catalogued after the stop: " + uncatalogued(catalog, storage, id,
                            t0));
        }

        Instant restarted = Instant.now();
        bundle.start();
        CameraService again = Harness.service(system, CameraService.class);
        awaitRecording(again, "lc-a", "lc-b");
        AtomicLong[] more = watch(Harness.service(system, LiveFeed.class));
        assertTrue(Await.until(START, () -> more[0].get() > 0 && more[1].get() > 0 && more[2].get() > 0),
                "live pictures again");
        assertTrue(Await.until(START, () -> rows(catalog, "lc-a", restarted).size() >= 1
                && rows(catalog, "lc-b", restarted).size() >= 1), "recording resumed: new segments catalogued");
    }

    @Test
    void aStorageStoppedAndStartedWhileACameraRecordsLosesNoCatalogRow() throws Exception {
        StorageService storage = Harness.service(system, StorageService.class);
        assertTrue(Await.until(START, () -> storage.status().canRecord()), "the storage records: " + storage.status());
        Instant from = Instant.now();
        String id = "lc-held";
        add(id, camera.url("/h264"));
        CameraService cameras = Harness.service(system, CameraService.class);
        awaitRecording(cameras, id);
        RecordingCatalog catalog = Harness.service(system, RecordingCatalog.class);
        assertTrue(Await.until(START, () -> rows(catalog, id, from).size() >= 1), "a segment catalogued");
        Path root = storage.recordingsRoot();

        Bundle bundle = bundle("org.vigil.storage");
        bundle.stop();
        assertTrue(Await.until(START, () -> cameras.status(id).map(s -> s.state() == CameraState.OFFLINE)
                .orElse(false)), "the camera waits for the storage: " + cameras.status(id));
        assertTrue(Await.until(SETTLE, () -> TestAccess.numbers(cameras, id).map(n -> n.session() == 0
                && n.stoppingSessions() == 0).orElse(false)), "its segment was finished");
        int onDisk = files(root, id).size();
        bundle.start();
        awaitRecording(cameras, id);
        RecordingCatalog after = Harness.service(system, RecordingCatalog.class);
        assertTrue(Await.until(START, () -> files(root, id).size() > onDisk), "a new segment is being written");
        removeCameras();
        assertTrue(Await.until(SETTLE, () -> cameras.status(id).isEmpty()), "camera removed");
        assertTrue(Await.until(START, () -> rows(after, id, from).size() >= files(root, id).size()),
                "every segment file catalogued: files " + files(root, id) + ", rows " + paths(rows(after, id, from)));
        for (Segment s : rows(after, id, from)) {
            assertEquals(SegmentState.RECORDED, s.state(), s.path() + " was announced by the camera (not found by the"
                    + " check at the storage's start)");
        }
        assertEquals(new TreeSet<>(files(root, id)), new TreeSet<>(paths(rows(after, id, from))),
                "one row for each file");
    }

    // ---- helpers ----

    private void add(String id, String url, Object... settings) throws IOException {
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("id", id);
        p.put("url", url);
        p.put("segmentSeconds", 3);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            p.put((String) settings[i], settings[i + 1]);
        }
        c.update(p);
        configurations.add(c);
    }

    private void removeCameras() throws Exception {
        for (Configuration c : configurations) {
            c.delete();
        }
        configurations.clear();
        CameraService cameras = Harness.service(system, CameraService.class);
        assertTrue(Await.until(Duration.ofSeconds(20), () -> cameras.cameras().isEmpty()), "cameras removed");
    }

    private void awaitRecording(CameraService cameras, String... ids) throws InterruptedException {
        for (String id : ids) {
            assertTrue(Await.until(START, () -> cameras.status(id).map(s -> s.state() == CameraState.RECORDING)
                    .orElse(false)), id + " records: " + cameras.status(id));
        }
    }

    /** lc-a's main stream and preview, lc-b's preview (its sub-stream); frames counted per viewer. */
    private AtomicLong[] watch(LiveFeed live) throws InterruptedException {
        AtomicLong[] n = { new AtomicLong(), new AtomicLong(), new AtomicLong() };
        String[] ids = { "lc-a", "lc-a", "lc-b" };
        LiveFeed.Stream[] streams = { LiveFeed.Stream.MAIN, LiveFeed.Stream.PREVIEW, LiveFeed.Stream.PREVIEW };
        for (int i = 0; i < n.length; i++) {
            AtomicLong count = n[i];
            viewers.add(live.subscribe(ids[i], 160, 90, streams[i], f -> count.incrementAndGet()));
        }
        assertTrue(Await.until(START, () -> n[0].get() > 0 && n[1].get() > 0 && n[2].get() > 0),
                "every viewer gets pictures");
        return n;
    }

    private void closeViewers() {
        for (Registration r : viewers) {
            r.close();
        }
        viewers.clear();
    }

    private Bundle bundle(String name) {
        for (Bundle b : system.getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + name);
    }

    private static List<Segment> rows(RecordingCatalog catalog, String id, Instant from) {
        return catalog.segments(SegmentQuery.of(id, from.minusSeconds(5), Instant.now().plusSeconds(60))).items();
    }

    private static List<Path> paths(List<Segment> rows) {
        return rows.stream().map(s -> s.path().toAbsolutePath().normalize()).toList();
    }

    private static List<Path> files(Path root, String id) {
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".mp4")).map(p -> p.toAbsolutePath().normalize()).sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> uncatalogued(RecordingCatalog catalog, StorageService storage, String id,
            Instant from) {
        List<Path> rows = paths(rows(catalog, id, from));
        return files(storage.recordingsRoot(), id).stream().filter(p -> !rows.contains(p)).toList();
    }

    /** This process's open files on the recordings catalog ({@code catalog.db}, its WAL and shared memory). */
    static int openCatalogFiles() {
        int n = 0;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).getFileName().toString().startsWith("catalog.db")) {
                        n++;
                    }
                } catch (IOException | NullPointerException e) {
                    // closed meanwhile, or not a file
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }
}
