package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.CameraSecretStore;
import org.vigil.config.internal.ConfigDatabase;
import org.vigil.config.internal.ConfigStorage;
import org.vigil.config.internal.StoredValue;

/**
 * Camera passwords are kept apart from Configuration Admin (issue 22: {@code vigil shell} printed them with
 * {@code cm:getConfiguration}): what Configuration Admin holds has no password, the settings service and the camera
 * get the whole URL, a changed password reaches the camera, and passwords of an older database are moved out.
 */
class CameraSecretsTest {
    static final String MAIN = "rtsp://admin:S3cret%40Main@127.0.0.1:8554/cam";
    static final String SUB = "rtsp://viewer:Sub-Pass9@127.0.0.1:8554/sub";

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10000)
    CameraSecrets secrets;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @TempDir
    Path temp;

    /** Before too: the test framework's config.db outlives a run that crashed. */
    @BeforeEach
    @AfterEach
    void removeCameras() throws Exception {
        for (CameraConfig c : settings.cameras()) {
            settings.removeCamera(c.id());
        }
    }

    @Test
    void configurationAdminHoldsNoPasswordWhileSettingsAndCamerasGetTheWholeUrl() throws Exception {
        settings.addCamera(camera("sec", MAIN, SUB));
        Dictionary<String, Object> held = find("sec").getProperties();
        String shown = String.valueOf(held);
        assertFalse(shown.contains("S3cret") || shown.contains("Sub-Pass9"), "Configuration Admin: " + shown);
        for (Configuration each : admin.listConfigurations(null)) {
            String all = String.valueOf(each.getProperties());
            assertFalse(all.contains("S3cret") || all.contains("Sub-Pass9"), each.getPid() + ": " + all);
        }
        assertEquals("rtsp://admin@127.0.0.1:8554/cam", held.get(CameraProperties.URL));
        assertEquals("rtsp://viewer@127.0.0.1:8554/sub", held.get(CameraProperties.SUB_URL));

        assertEquals(MAIN, settings.camera("sec").orElseThrow().url());
        assertEquals(SUB, settings.camera("sec").orElseThrow().subUrl().orElseThrow());
        assertEquals(MAIN, settings.storedCameras().get("sec").get(CameraProperties.URL), "export --with-secrets");
        Map<String, Object> forCamera = secrets.resolve(toMap(held));
        assertEquals(MAIN, forCamera.get(CameraProperties.URL), "what the camera connects with");
        assertEquals(SUB, forCamera.get(CameraProperties.SUB_URL));
        assertFalse(forCamera.containsKey(CameraSecrets.URL_SECRET));
        assertEquals("2", count(), "one kept password per URL");
    }

    @Test
    void aNewPasswordChangesTheConfigurationAndTheOldOneIsForgotten() throws Exception {
        settings.addCamera(camera("sec", MAIN, SUB));
        Object ref = held("sec").get(CameraSecrets.URL_SECRET);
        Object subRef = held("sec").get(CameraSecrets.SUB_URL_SECRET);

        assertFalse(settings.saveCamera(camera("sec", MAIN, SUB)), "the same passwords write nothing");
        assertEquals(ref, held("sec").get(CameraSecrets.URL_SECRET));

        String changed = "rtsp://admin:An0ther@127.0.0.1:8554/cam";
        assertTrue(settings.saveCamera(camera("sec", changed, SUB)));
        assertNotEquals(ref, held("sec").get(CameraSecrets.URL_SECRET), "the camera gets a changed configuration");
        assertEquals(subRef, held("sec").get(CameraSecrets.SUB_URL_SECRET));
        assertEquals(changed, settings.camera("sec").orElseThrow().url());
        assertEquals("2", count(), "the old password is forgotten");

        assertTrue(settings.saveCamera(camera("sec", "rtsp://admin@127.0.0.1:8554/cam", null)));
        assertNull(held("sec").get(CameraSecrets.URL_SECRET));
        assertEquals("rtsp://admin@127.0.0.1:8554/cam", settings.camera("sec").orElseThrow().url());
        assertEquals("0", count());

        settings.saveCamera(camera("sec", MAIN, null));
        assertEquals("1", count());
        assertTrue(settings.removeCamera("sec"));
        assertEquals("0", count(), "a removed camera's password is forgotten");
    }

    @Test
    void passwordsInTheConfigurationsOfAnOlderDatabaseAreMovedOut() throws Exception {
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            Map<String, StoredValue> props = new TreeMap<>();
            props.put(CameraProperties.ID, StoredValue.encode(CameraProperties.ID, "old"));
            props.put(CameraProperties.URL, StoredValue.encode(CameraProperties.URL, MAIN));
            props.put(CameraProperties.NAME, StoredValue.encode(CameraProperties.NAME, "Old camera"));
            db.store(CameraProperties.pid("old"), "org.vigil.camera", props);
            db.putSecret("pw-stale", "gone", "x");

            CameraSecretStore.moveOutOfConfigurations(db);

            Map<String, StoredValue> moved = db.load(CameraProperties.pid("old")).orElseThrow().properties();
            assertEquals("rtsp://admin@127.0.0.1:8554/cam", moved.get(CameraProperties.URL).decode());
            assertEquals("Old camera", moved.get(CameraProperties.NAME).decode());
            String ref = moved.get(CameraSecrets.URL_SECRET).decode().toString();
            assertEquals(Optional.of("S3cret%40Main"), db.secret("old", ref));
            assertEquals(Optional.empty(), db.secret("other", ref), "a ref names one camera's password only");
            assertEquals("1", db.queryText("SELECT count(*) FROM camera_secret"), "unused passwords are forgotten");

            CameraSecretStore.moveOutOfConfigurations(db);
            assertEquals(ref, db.load(CameraProperties.pid("old")).orElseThrow().properties()
                    .get(CameraSecrets.URL_SECRET).decode(), "moving twice changes nothing");
            assertEquals("1", db.queryText("SELECT count(*) FROM camera_secret"));
        }
    }

    @Test
    void splittingAndJoiningAUrlKeepsEverythingButThePassword() {
        String[][] cases = { { MAIN, "rtsp://admin@127.0.0.1:8554/cam", "S3cret%40Main" },
                { "rtsps://u:a:b@h", "rtsps://u@h", "a:b" }, { "rtsp://u:@h/x", "rtsp://u@h/x", "" },
                { "rtsp://u@h/x", "rtsp://u@h/x", null }, { "rtsp://h:554/x@y", "rtsp://h:554/x@y", null } };
        for (String[] c : cases) {
            CameraSecrets.Split s = CameraSecrets.split(c[0]);
            assertEquals(c[1], s.url(), c[0]);
            assertEquals(Optional.ofNullable(c[2]), s.password(), c[0]);
            if (c[2] != null) {
                assertEquals(c[0], CameraSecrets.withPassword(s.url(), c[2]), c[0]);
            }
        }
    }

    private Map<String, Object> held(String id) throws Exception {
        return toMap(find(id).getProperties());
    }

    private Configuration find(String id) throws Exception {
        Configuration[] found = admin.listConfigurations("(service.pid=" + CameraProperties.pid(id) + ")");
        assertEquals(1, found == null ? 0 : found.length, "the configuration of camera " + id);
        return found[0];
    }

    private String count() throws Exception {
        return storage.database().orElseThrow().queryText("SELECT count(*) FROM camera_secret");
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new TreeMap<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }

    private static CameraConfig camera(String id, String url, String subUrl) {
        Map<String, Object> p = new TreeMap<>();
        p.put(CameraProperties.ID, id);
        p.put(CameraProperties.URL, url);
        if (subUrl != null) {
            p.put(CameraProperties.SUB_URL, subUrl);
        }
        return CameraProperties.toConfig(p);
    }
}
