package org.vigil.ui.cameras.internal;

import java.util.Map;
import java.util.Optional;

import org.vigil.api.camera.CameraConfig;

/**
 * One camera configuration as the view lists it: its validated settings, or, when the stored properties are not
 * usable, the reason (the row stays in the list so that the user can fix or remove it).
 *
 * @param id         the camera id (from the configuration's name when the properties have none)
 * @param config     the validated settings, when they are valid
 * @param properties the stored properties, without those Configuration Admin adds
 * @param problem    why the settings are not usable, one sentence
 */
record CameraRow(String id, Optional<CameraConfig> config, Map<String, Object> properties, Optional<String> problem) {

    String name() {
        return config.map(CameraConfig::name).orElse(id);
    }
}
