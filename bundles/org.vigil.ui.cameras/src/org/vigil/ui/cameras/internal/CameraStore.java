package org.vigil.ui.cameras.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;

/**
 * The view's glue to {@link SettingsService}, the one path of every camera change (also of {@code vigil camera
 * add|set|remove}): its checks and its sentences are the view's. Methods block on the settings (and the database
 * behind them): call them off the display thread.
 */
final class CameraStore {
    private final SettingsService settings;

    CameraStore(SettingsService settings) {
        this.settings = settings;
    }

    /** Every camera, valid or not, sorted by id. */
    List<CameraRow> list() throws SettingsException {
        List<CameraRow> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : settings.storedCameras().entrySet()) {
            Map<String, Object> p = e.getValue();
            try {
                rows.add(new CameraRow(e.getKey(), Optional.of(CameraProperties.toConfig(p)), p, Optional.empty()));
            } catch (IllegalArgumentException invalid) {
                rows.add(new CameraRow(e.getKey(), Optional.empty(), p, Optional.of(invalid.getMessage())));
            }
        }
        return rows;
    }

    /** Adds a camera; the service refuses an id that is taken. */
    void add(CameraConfig camera) throws SettingsException {
        settings.addCamera(camera);
    }

    /** Saves a camera's new settings; the service refuses a camera removed meanwhile. */
    boolean update(CameraConfig camera) throws SettingsException {
        return settings.changeCamera(camera);
    }

    /** Removes a camera's settings (its recordings stay on disk); false when there was no such camera. */
    boolean remove(String id) throws SettingsException {
        return settings.removeCamera(id);
    }
}
