package org.vigil.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.camera.CameraConfig;

/**
 * Reads, validates and saves Vigil's settings (cameras and the sections {@link RecordingSettings#PID},
 * {@link RetentionSettings#PID}, {@link BackupSettings#PID}, {@link UiSettings#PID}) through Configuration Admin.
 * Every change is validated before anything is written, and only what changed is written: saving an unchanged
 * camera writes nothing, changing one camera writes that camera's rows only. Components receive the changes through
 * their {@code @Modified} methods. The service exists while the configuration database is open.
 */
@ProviderType
public interface SettingsService {
    /** The bundle location Vigil's configurations are created with: any bundle may receive them. */
    String LOCATION = "?";

    /** Every camera, sorted by id. Credentials are included: mask URLs before showing them. */
    List<CameraConfig> cameras() throws SettingsException;

    Optional<CameraConfig> camera(String id) throws SettingsException;

    /**
     * Every stored camera configuration by camera id, sorted by id, also those whose properties are not usable
     * ({@link CameraProperties#toConfig(Map)} says why), so that a user can see, fix or remove them. The properties
     * are those stored, without the ones Configuration Admin adds; credentials are included.
     *
     * @since 1.1
     */
    default SortedMap<String, Map<String, Object>> storedCameras() throws SettingsException {
        SortedMap<String, Map<String, Object>> result = new TreeMap<>();
        for (CameraConfig c : cameras()) {
            result.put(c.id(), CameraProperties.toProperties(c));
        }
        return result;
    }

    /**
     * Adds a new camera: what the Cameras view and {@code vigil camera add} do. Refused with one sentence, nothing
     * written: an id that is taken; in the settings bundle also a name that cannot be shown as plain text (a control
     * or invisible formatting character, more than 200 characters).
     *
     * @since 1.1
     */
    default void addCamera(CameraConfig camera) throws SettingsException {
        if (storedCameras().containsKey(camera.id())) {
            throw new SettingsException("A camera with the id '" + camera.id() + "' exists already; choose another "
                    + "id.");
        }
        saveCamera(camera);
    }

    /**
     * Replaces the settings of an existing camera: what the Cameras view and {@code vigil camera set} do. Refused
     * with one sentence, nothing written: a camera that does not exist (any more); in the settings bundle also a name
     * that cannot be shown as plain text.
     *
     * @return true when something was written, false when the settings were already these
     * @since 1.1
     */
    default boolean changeCamera(CameraConfig camera) throws SettingsException {
        if (!storedCameras().containsKey(camera.id())) {
            throw new SettingsException("There is no camera '" + camera.id() + "' (any more: it may have been "
                    + "removed meanwhile); add it again.");
        }
        return saveCamera(camera);
    }

    /**
     * Adds a camera or replaces its settings.
     *
     * @return true when something was written, false when the settings were already these
     */
    boolean saveCamera(CameraConfig camera) throws SettingsException;

    /**
     * Removes a camera's settings (its recordings stay on disk).
     *
     * @return true when there was such a camera
     */
    boolean removeCamera(String id) throws SettingsException;

    /**
     * The values stored for one section, without defaults (a missing key has the default of the section's
     * annotation). Keys are the annotation's element names.
     */
    Map<String, Object> section(String pid) throws SettingsException;

    /**
     * Changes some values of one section. Values may be typed or strings ({@code "30"}, {@code "on"},
     * {@code "a,b"} for lists); a null value resets the key to its default. Unknown keys and invalid values are
     * refused before anything is written.
     *
     * @return true when something was written
     */
    boolean updateSection(String pid, Map<String, ?> changes) throws SettingsException;
}
