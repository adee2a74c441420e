package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.testing.Await;

/** The DS components in the framework: services, default root, volume identity, the check at start. */
class ServiceWiringTest {
    @InjectService(timeout = 10000)
    StorageService storage;
    @InjectService(timeout = 10000)
    RecordingCatalog catalog;
    @InjectService(timeout = 10000)
    Retention retention;
    @InjectService(timeout = 10000)
    SegmentListener listener;
    @InjectService(timeout = 10000, filter = "(" + StoragePlugin.PROPERTY + "=file)")
    StoragePlugin plugin;
    @InjectBundleContext
    BundleContext context;

    @Test
    void theStorageServiceRunsOnTheDataDirectoryWithItsDefaults() throws Exception {
        Path data = Path.of(context.getProperty("vigil.data")).toAbsolutePath().normalize();
        assertEquals(data.resolve("recordings"), storage.recordingsRoot());
        assertTrue(Await.until(Duration.ofSeconds(20), () -> storage.status().state() == StorageState.READY),
                storage.status().toString());
        assertTrue(Files.exists(data.resolve("catalog.db")));
        String id = storage.status().volumeId().orElseThrow();
        assertTrue(Files.readString(storage.recordingsRoot().resolve(".vigil-volume")).contains("id=" + id));
        assertTrue(Await.until(Duration.ofSeconds(30), () -> storage.lastCheck().isPresent()),
                "the check at start ran");
        assertEquals(10.0, retention.settings().minFreePercent());
        assertEquals(Duration.ofHours(1), retention.settings().emergencyWindow());
        assertEquals("file", plugin.scheme());
        assertEquals(catalog.zone(), java.time.ZoneId.systemDefault());
    }
}
