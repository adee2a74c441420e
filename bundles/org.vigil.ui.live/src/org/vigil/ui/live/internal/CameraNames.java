package org.vigil.ui.live.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;

/** The cameras' display names from their configurations (a camera without a name shows its id). */
final class CameraNames {
    private final ConfigurationAdmin admin;

    CameraNames(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /** Camera id to name, for every configured camera that has a name. Blocking: call it off the display thread. */
    Map<String, String> read() throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(service.factoryPid=" + CameraSettings.FACTORY_PID + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> names = new HashMap<>();
        if (found != null) {
            for (Configuration c : found) {
                var p = c.getProperties();
                if (p != null && p.get(CameraProperties.ID) instanceof String id
                        && p.get(CameraProperties.NAME) instanceof String name && !name.isBlank()) {
                    names.put(id, name);
                }
            }
        }
        return names;
    }
}
