package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import org.apache.felix.cm.PersistenceManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.RetentionSettings;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.config.UiSettings;
import org.vigil.config.internal.ConfigDatabase;
import org.vigil.config.internal.ConfigStorage;

/** Configuration Admin keeps everything in config.db and writes only what changed (seed S15). */
class PersistenceTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @AfterEach
    void removeCameras() throws Exception {
        for (CameraConfig c : settings.cameras()) {
            settings.removeCamera(c.id());
        }
        settings.updateSection(UiSettings.PID, Map.of("tileOrder", ""));
    }

    @Test
    void configurationAdminKeepsItsConfigurationsInConfigDb() throws Exception {
        assertEquals(1, context.getServiceReferences(PersistenceManager.class,
                "(name=" + ConfigStorage.PERSISTENCE_MANAGER_NAME + ")").size());
        assertEquals(ConfigStorage.PERSISTENCE_MANAGER_NAME, context.getProperty("felix.cm.pm"));
        Configuration c = admin.getConfiguration("org.vigil.config.tests.plain", "?");
        c.update(new Hashtable<>(Map.of("answer", 42)));
        ConfigDatabase db = storage.database().orElseThrow();
        assertEquals(42, db.load("org.vigil.config.tests.plain").orElseThrow().properties().get("answer").decode());
        assertTrue(storage.file().endsWith("config.db"));
        c.delete();
        assertFalse(db.exists("org.vigil.config.tests.plain"));
    }

    @Test
    void changingOneCameraWritesOnlyThatCamerasRows() throws Exception {
        for (int i = 1; i <= 5; i++) {
            settings.saveCamera(CameraConfig.of("cam" + i, "Camera " + i, "rtsp://user:secret@10.0.0." + i + "/s"));
        }
        ConfigDatabase db = storage.database().orElseThrow();
        CameraConfig cam3 = settings.camera("cam3").orElseThrow();
        CameraConfig renamed = new CameraConfig(cam3.id(), "Back yard", cam3.url(), cam3.subUrl(), cam3.codec(),
                cam3.record(), cam3.enabled(), cam3.transport(), cam3.reconnectMin(), cam3.reconnectMax(),
                cam3.watchdog(), cam3.segmentLength());
        try (RowWrites writes = new RowWrites(db)) {
            assertTrue(settings.saveCamera(renamed));
            Set<String> pids = writes.pids();
            System.out.println("[measure] renaming one camera of 5 wrote " + writes.rows().size() + " rows ("
                    + writes.rows() + ") of " + pids);
            assertEquals(Set.of(CameraProperties.pid("cam3")), pids, "only cam3's rows");
            assertEquals(writes.rows().size(), writes.totalChanges());
            assertTrue(writes.rows().size() <= 3, "the name, Configuration Admin's revision, the time of change: "
                    + writes.rows());
        }
        try (RowWrites writes = new RowWrites(db)) {
            assertFalse(settings.saveCamera(renamed), "saving unchanged settings reports no change");
            assertEquals(0, writes.rows().size(), "and writes nothing");
            assertEquals(0, writes.totalChanges());
        }
        try (RowWrites writes = new RowWrites(db)) {
            assertTrue(settings.updateSection(RetentionSettings.PID, Map.of("maxAgeDays", 14)));
            assertEquals(Set.of(RetentionSettings.PID), writes.pids(), "a settings section touches no camera");
        }
        try (RowWrites writes = new RowWrites(db)) {
            assertTrue(settings.removeCamera("cam2"));
            System.out.println("[measure] removing one camera deleted " + writes.rows().size() + " rows");
            assertTrue(writes.rows().stream().allMatch(r -> r.operation().equals("DELETE")));
            assertFalse(db.exists(CameraProperties.pid("cam2")));
            assertTrue(db.exists(CameraProperties.pid("cam1")));
        }
        settings.updateSection(RetentionSettings.PID, Map.of("maxAgeDays", "0"));
    }

    @Test
    void aFullDiskRefusesTheChangeWithASentenceAndKeepsThePreviousSettings() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", "rtsp://10.0.0.9/s"));
        ConfigDatabase db = storage.database().orElseThrow();
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        db.execute("PRAGMA max_page_count = " + db.queryText("PRAGMA page_count"));
        try {
            CameraConfig huge = CameraConfig.of("front", "x".repeat(200_000), "rtsp://10.0.0.9/s");
            SettingsException e = assertThrows(SettingsException.class, () -> settings.saveCamera(huge));
            assertTrue(e.getMessage().contains("is full. Free some space and try again; the previous settings are"
                    + " unchanged."), e.getMessage());
        } finally {
            db.execute("PRAGMA max_page_count = 1073741823");
        }
        assertEquals("Front door", settings.camera("front").orElseThrow().name(), "Configuration Admin too");
        assertEquals("Front door", db.load(CameraProperties.pid("front")).orElseThrow().properties().get("name")
                .decode());
    }

    @Test
    void theDatabaseRefusesACameraVigilCouldNotUseWhoeverWritesIt() throws Exception {
        ConfigDatabase db = storage.database().orElseThrow();
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, "door", "?");
        try (RowWrites writes = new RowWrites(db)) {
            IOException e = assertThrows(IOException.class, () -> c.update(new Hashtable<>(Map.of("id", "door",
                    "url", "http://10.0.0.5/video"))));
            assertTrue(e.getMessage().contains("must start with rtsp:// or rtsps://"), e.getMessage());
            IOException wrongId = assertThrows(IOException.class, () -> c.update(new Hashtable<>(Map.of("id",
                    "other", "url", "rtsp://10.0.0.5/video"))));
            assertTrue(wrongId.getMessage().contains("must have the id 'door'"), wrongId.getMessage());
            assertEquals(0, writes.totalChanges(), "nothing written");
        }
        assertFalse(db.exists(CameraProperties.pid("door")));
    }

    @Test
    void settingsSectionsAreValidatedToo() throws Exception {
        SettingsException e = assertThrows(SettingsException.class,
                () -> settings.updateSection(UiSettings.PID, Map.of("tileOrder", "front,../../etc")));
        assertTrue(e.getMessage().contains("ui.tileOrder must be camera ids separated by commas"), e.getMessage());
        SettingsException unknown = assertThrows(SettingsException.class,
                () -> settings.updateSection(UiSettings.PID, Map.of("colour", "red")));
        assertTrue(unknown.getMessage().contains("Unknown setting 'ui.colour'"), unknown.getMessage());
        assertTrue(settings.updateSection(UiSettings.PID, Map.of("tile-order", "b,a", "gridLayout", "2x2")));
        assertEquals(Map.of("tileOrder", java.util.List.of("b", "a"), "gridLayout", "2x2"),
                Map.of("tileOrder", java.util.List.of((String[]) settings.section(UiSettings.PID).get("tileOrder")),
                        "gridLayout", settings.section(UiSettings.PID).get("gridLayout")));
        settings.updateSection(UiSettings.PID, Map.of("gridLayout", "auto"));
    }
}
