package org.vigil.democam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.SettingsService;

/** The decision logic of {@code vigil run --demo}; the distribution tests exercise it with the real settings. */
class DemoCameraSetupTest {

    /** Settings kept in memory, counting writes. */
    static final class MemorySettings implements SettingsService {
        final Map<String, CameraConfig> cameras = new TreeMap<>();
        int writes;

        @Override
        public List<CameraConfig> cameras() {
            return new ArrayList<>(cameras.values());
        }

        @Override
        public Optional<CameraConfig> camera(String id) {
            return Optional.ofNullable(cameras.get(id));
        }

        @Override
        public boolean saveCamera(CameraConfig camera) {
            writes++;
            return !camera.equals(cameras.put(camera.id(), camera));
        }

        @Override
        public boolean removeCamera(String id) {
            return cameras.remove(id) != null;
        }

        @Override
        public Map<String, Object> section(String pid) {
            return Map.of();
        }

        @Override
        public boolean updateSection(String pid, Map<String, ?> changes) {
            return false;
        }
    }

    @Test
    void aFirstStartWithoutCamerasGetsTheDemoCamera() throws Exception {
        MemorySettings s = new MemorySettings();
        assertTrue(DemoCameraSetup.configure(s, "rtsp://127.0.0.1:40001/h264").isPresent());
        assertEquals("rtsp://127.0.0.1:40001/h264", s.cameras.get("demo").url());
        assertTrue(s.cameras.get("demo").record());
    }

    @Test
    void laterStartsFollowTheDemoCamerasNewPortAndKeepTheUsersSettings() throws Exception {
        MemorySettings s = new MemorySettings();
        DemoCameraSetup.configure(s, "rtsp://127.0.0.1:40001/h264");
        CameraConfig old = s.cameras.get("demo");
        s.cameras.put("demo", new CameraConfig("demo", "Shop floor", old.url(), old.subUrl(), old.codec(), false,
                old.enabled(), old.transport(), old.reconnectMin(), old.reconnectMax(), old.watchdog(),
                old.segmentLength()));
        assertTrue(DemoCameraSetup.configure(s, "rtsp://127.0.0.1:40002/h264").isPresent());
        CameraConfig now = s.cameras.get("demo");
        assertEquals("rtsp://127.0.0.1:40002/h264", now.url());
        assertEquals("Shop floor", now.name());
        assertEquals(false, now.record());
        int writes = s.writes;
        assertTrue(DemoCameraSetup.configure(s, "rtsp://127.0.0.1:40002/h264").isEmpty());
        assertEquals(writes, s.writes, "nothing written when nothing changed");
    }

    @Test
    void theUsersOwnCamerasAreNeverTouched() throws Exception {
        MemorySettings s = new MemorySettings();
        s.cameras.put("front", CameraConfig.of("front", "Front", "rtsp://192.0.2.10/stream"));
        s.cameras.put("demo", CameraConfig.of("demo", "Their demo", "rtsp://192.0.2.11/stream"));
        assertTrue(DemoCameraSetup.configure(s, "rtsp://127.0.0.1:40001/h264").isEmpty());
        assertEquals(0, s.writes);
    }
}
