package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.testing.Await;

/**
 * The configuration the config bundle writes: {@code org.vigil.recording} ({@code recordingsRoot}) and
 * {@code org.vigil.retention} ({@code minFreeDiskPercent}, ...), applied to the running service without a restart.
 */
class ConfigurationTest {
    @InjectService(timeout = 10000)
    ConfigurationAdmin configAdmin;
    @InjectService(timeout = 10000)
    StorageService storage;
    @InjectService(timeout = 10000)
    Retention retention;

    @Test
    void theRootAndTheRetentionSettingsFollowTheirConfiguration() throws Exception {
        Path defaultRoot = storage.recordingsRoot();
        assertTrue(Await.until(Duration.ofSeconds(20), () -> storage.status().canRecord()));
        Path other = Files.createDirectories(TestDirs.fresh("config").resolve("elsewhere"));
        Configuration recording = configAdmin.getConfiguration("org.vigil.recording", "?");
        Configuration ret = configAdmin.getConfiguration("org.vigil.retention", "?");
        try {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("recordingsRoot", other.toString());
            recording.update(props);
            assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.recordingsRoot().equals(other)));
            // another folder is another volume: the catalog's recordings are not there, so recording refuses it
            assertTrue(Await.until(Duration.ofSeconds(10),
                    () -> storage.status().state() == StorageState.VOLUME_MISSING), storage.status().toString());

            Hashtable<String, Object> r = new Hashtable<>();
            r.put("minFreeDiskPercent", 25.0);
            r.put("reserveMb", 64L);
            ret.update(r);
            assertTrue(Await.until(Duration.ofSeconds(10), () -> retention.settings().minFreePercent() == 25.0));
            assertEquals(64L << 20, retention.settings().reserveBytes());
        } finally {
            recording.delete();
            ret.delete();
        }
        assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.recordingsRoot().equals(defaultRoot)));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.status().canRecord()), storage.status().toString());
        assertTrue(Await.until(Duration.ofSeconds(10), () -> retention.settings().minFreePercent() == 10.0));
    }
}
