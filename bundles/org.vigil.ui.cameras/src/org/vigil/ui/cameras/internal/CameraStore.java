package org.vigil.ui.cameras.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.SettingsService;

/**
 * The cameras in Configuration Admin: one factory configuration of {@link CameraSettings#FACTORY_PID} per camera,
 * named by its id and created with the location {@link SettingsService#LOCATION}, as the settings service does.
 * Methods block on Configuration Admin (and the database behind it): call them off the display thread.
 */
final class CameraStore {
    private static final String CAMERAS = "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
            + CameraSettings.FACTORY_PID + ")";

    private final ConfigurationAdmin admin;

    CameraStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /** Every camera, valid or not, sorted by id. */
    List<CameraRow> list() throws IOException {
        List<CameraRow> rows = new ArrayList<>();
        for (Configuration c : configurations(CAMERAS)) {
            Map<String, Object> p = userProperties(c);
            String id = String.valueOf(p.getOrDefault(CameraProperties.ID,
                    CameraProperties.idOfPid(c.getPid()).orElse(c.getPid())));
            try {
                rows.add(new CameraRow(id, Optional.of(CameraProperties.toConfig(p)), p, Optional.empty()));
            } catch (IllegalArgumentException e) {
                rows.add(new CameraRow(id, Optional.empty(), p, Optional.of(e.getMessage())));
            }
        }
        rows.sort(Comparator.comparing(CameraRow::id));
        return rows;
    }

    /** Adds a camera; refuses an id that is taken. */
    void add(CameraConfig camera) throws IOException {
        if (find(camera.id()).isPresent()) {
            throw new IllegalArgumentException("A camera with the id '" + camera.id() + "' exists already; choose "
                    + "another id.");
        }
        write(camera, Map.of());
    }

    /** Saves a camera's new settings, keeping properties other bundles stored beside them. */
    boolean update(CameraConfig camera) throws IOException {
        Optional<Configuration> existing = find(camera.id());
        if (existing.isEmpty()) {
            throw new IllegalStateException("The camera '" + camera.id() + "' was removed meanwhile; add it again.");
        }
        return write(camera, userProperties(existing.get()));
    }

    /** Removes a camera's settings (its recordings stay on disk); false when there was no such camera. */
    boolean remove(String id) throws IOException {
        Optional<Configuration> c = find(id);
        if (c.isEmpty()) {
            return false;
        }
        c.get().delete();
        return true;
    }

    private boolean write(CameraConfig camera, Map<String, Object> before) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        before.forEach((k, v) -> {
            if (!CameraProperties.NAMES.contains(k)) {
                values.put(k, v);
            }
        });
        values.putAll(CameraProperties.toProperties(camera));
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, camera.id(),
                SettingsService.LOCATION);
        return c.updateIfDifferent(new Hashtable<>(values));
    }

    private Optional<Configuration> find(String id) throws IOException {
        List<Configuration> found = configurations("(" + Constants.SERVICE_PID + "=" + CameraProperties.pid(id) + ")");
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private List<Configuration> configurations(String filter) throws IOException {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> userProperties(Configuration c) {
        Map<String, Object> result = new LinkedHashMap<>();
        Dictionary<String, Object> d = c.getProperties();
        if (d == null) {
            return result;
        }
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.equals(Constants.SERVICE_PID) && !k.equals(ConfigurationAdmin.SERVICE_FACTORYPID)
                    && !k.equals(ConfigurationAdmin.SERVICE_BUNDLELOCATION)) {
                result.put(k, d.get(k));
            }
        }
        return result;
    }
}
