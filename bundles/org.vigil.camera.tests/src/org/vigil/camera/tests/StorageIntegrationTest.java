package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;

/**
 * With the real storage bundle: the recorder reserves its segments from it, announces them when they are closed,
 * and the catalog lists them (rows only for complete, synced, playable files).
 */
class StorageIntegrationTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, StorageIntegrationTest.class);
        h = new Harness(context, "storage-integration", false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theCatalogListsTheSegmentsTheRecorderClosed() throws Exception {
        StorageService storage = Harness.service(context, StorageService.class);
        RecordingCatalog catalog = Harness.service(context, RecordingCatalog.class);
        assertTrue(Await.until(Duration.ofSeconds(30), () -> storage.status().canRecord()),
                "the storage can record: " + storage.status());
        Instant from = Instant.now().minusSeconds(5);
        String id = "st-catalog";
        h.add(id, DemoCam.url(context, "url.h264"), "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(30), () -> rows(catalog, id, from).size() >= 2),
                "two segments catalogued: " + h.history(id));
        h.remove(id);
        assertTrue(Await.until(Duration.ofSeconds(15), () -> rows(catalog, id, from).size() >= 3),
                "the segment closed at the stop is catalogued too");
        List<Segment> rows = rows(catalog, id, from);
        for (int i = 0; i < rows.size(); i++) {
            Segment s = rows.get(i);
            assertTrue(s.path().startsWith(storage.recordingsRoot()), s.path() + " under the recordings root");
            assertTrue(Files.isRegularFile(s.path()));
            // recordings are for the owner and a group: another local user can neither watch nor list them
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path()));
            assertTrue(mode.startsWith("rw-") && mode.charAt(4) == '-' && mode.endsWith("---"), s.path() + " is " + mode);
            for (Path folder = s.path().getParent(); folder != null && !folder.equals(storage.recordingsRoot());
                    folder = folder.getParent()) {
                String folderMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(folder));
                assertTrue(folderMode.startsWith("rwx") && folderMode.endsWith("---"), folder + " is " + folderMode);
            }
            Media.Probe p = Media.probe(s.path());
            assertTrue(p.playable() && p.firstIsKey(), s.path() + ": " + p);
            if (i + 1 < rows.size()) {
                assertEquals(s.end(), rows.get(i + 1).start(), "contiguous in the catalog");
            }
        }
    }

    private static List<Segment> rows(RecordingCatalog catalog, String id, Instant from) {
        return catalog.segments(SegmentQuery.of(id, from, Instant.now().plusSeconds(60))).items();
    }
}
