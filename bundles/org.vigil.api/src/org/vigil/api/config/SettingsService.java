package org.vigil.api.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
