package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.ConfigStorage;

/**
 * The camera operations of {@link SettingsService} that the Cameras view and {@code vigil camera add|set} share:
 * listing every stored camera (also an unusable one), adding only a new id, changing only an existing camera, and a
 * name that cannot be shown as plain text refused with one sentence, with nothing written to config.db.
 */
class SettingsServiceCamerasTest {
    private static final String URL = "rtsp://admin:s3cret@192.168.1.20:554/stream1";

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @AfterEach
    void removeCameras() throws Exception {
        Configuration[] all = admin.listConfigurations("(service.factoryPid=" + CameraSettings.FACTORY_PID + ")");
        for (Configuration c : all == null ? new Configuration[0] : all) {
            c.delete();
        }
    }

    @Test
    void storedCamerasGivesEveryCamerasStoredPropertiesByIdWithThoseOfOtherBundles() throws Exception {
        settings.saveCamera(CameraConfig.of("yard", "Yard", URL));
        Hashtable<String, Object> attic = new Hashtable<>(CameraProperties.toProperties(CameraConfig.of("attic",
                "Attic", "rtsp://192.168.1.30/video")));
        attic.put("vendor.ptzPreset", "3"); // another bundle's property beside Vigil's
        admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, "attic", SettingsService.LOCATION).update(attic);

        Map<String, Map<String, Object>> stored = settings.storedCameras();
        assertEquals(List.of("attic", "yard"), List.copyOf(stored.keySet()), "sorted by id");
        assertEquals(attic, new Hashtable<>(stored.get("attic")), "the stored properties, the other bundle's too");
        assertFalse(stored.get("yard").containsKey("service.pid"), "without those Configuration Admin adds");
        assertEquals(CameraProperties.toProperties(CameraConfig.of("yard", "Yard", URL)), stored.get("yard"));

        assertTrue(settings.changeCamera(CameraConfig.of("attic", "Loft", "rtsp://192.168.1.30/video")));
        assertEquals("3", settings.storedCameras().get("attic").get("vendor.ptzPreset"),
                "a change keeps the other bundle's property");
    }

    @Test
    void addCameraRefusesAnIdThatIsTakenAndWritesNothing() throws Exception {
        settings.addCamera(CameraConfig.of("front", "Front door", URL));
        assertEquals(URL, settings.camera("front").orElseThrow().url());
        try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
            SettingsException e = assertThrows(SettingsException.class,
                    () -> settings.addCamera(CameraConfig.of("front", "Other", "rtsp://10.0.0.2/s")));
            assertEquals("A camera with the id 'front' exists already; choose another id.", e.getMessage());
            assertEquals(0, writes.totalChanges(), "nothing was written");
        }
        assertEquals("Front door", settings.camera("front").orElseThrow().name());
    }

    @Test
    void changeCameraRefusesACameraThatWasRemovedAndDoesNotRecreateIt() throws Exception {
        CameraConfig front = CameraConfig.of("front", "Front door", URL);
        settings.addCamera(front);
        assertFalse(settings.changeCamera(front), "unchanged settings write nothing");
        assertTrue(settings.changeCamera(CameraConfig.of("front", "Front entrance", URL)));
        assertEquals("Front entrance", settings.camera("front").orElseThrow().name());

        assertTrue(settings.removeCamera("front"));
        SettingsException e = assertThrows(SettingsException.class,
                () -> settings.changeCamera(CameraConfig.of("front", "Front", URL)));
        assertEquals("There is no camera 'front' (any more: it may have been removed meanwhile); add it again.",
                e.getMessage());
        assertTrue(settings.camera("front").isEmpty(), "the removed camera stays removed");
    }

    @Test
    void aNameThatIsNotPlainTextIsRefusedByTheServiceWithTheCommandsSentence() throws Exception {
        for (String name : List.of("Front\ndoor", "Front\u202edoor", "x".repeat(201))) {
            try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
                SettingsException e = assertThrows(SettingsException.class,
                        () -> settings.addCamera(CameraConfig.of("front", name, URL)));
                assertTrue(e.getMessage().startsWith("The camera name "), e.getMessage());
                assertTrue(e.getMessage().endsWith(" Nothing was changed."), e.getMessage());
                assertEquals(0, writes.totalChanges(), "nothing was written");
            }
        }
        assertTrue(settings.storedCameras().isEmpty());
    }
}
