package org.vigil.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.SettingsException;

import com.google.gson.JsonElement;

/**
 * The data that {@code vigil camera ... --json} and {@code vigil config get --json} print and the HTTPS API answers
 * ({@code org.vigil.config.internal.web}), built in one place so both say the same; and the checks both apply to a
 * user's camera settings and settings changes.
 */
public final class ConfigData {
    private ConfigData() {
    }

    /** A camera as JSON data, its URLs' passwords masked as {@code vigil camera list} shows them. */
    public static Map<String, Object> camera(CameraConfig c) {
        return Json.camera(c, false);
    }

    /**
     * The settings of {@code sectionName} (every section when empty) as {@code vigil config get --json} prints them:
     * {@code {section: {key: value}}}, defaults filled in.
     *
     * @throws IllegalArgumentException with a sentence when the section does not exist
     */
    public static Map<String, Object> settings(ConfigAdminSettings s, Optional<String> sectionName)
            throws SettingsException {
        List<Sections.Section> shown = new ArrayList<>();
        if (sectionName.isEmpty()) {
            shown.addAll(Sections.ALL);
        } else {
            shown.add(section(sectionName.get()));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (Sections.Section section : shown) {
            Map<String, Object> stored = s.section(section.pid());
            Map<String, Object> values = new LinkedHashMap<>();
            for (Sections.Key k : section.keys()) {
                values.put(k.name(), Json.value(stored.containsKey(k.name()) ? stored.get(k.name()) : k.defaultValue()));
            }
            data.put(section.name(), values);
        }
        return data;
    }

    /** The configuration PID of a settings section named as users name it ({@code retention}). */
    public static String sectionPid(String sectionName) {
        return section(sectionName).pid();
    }

    /** The PID of the retention section, whose changes the storage previews before they are saved. */
    public static String retentionPid() {
        return Sections.RETENTION.pid();
    }

    private static Sections.Section section(String name) {
        return Sections.byName(name).orElseThrow(() -> new IllegalArgumentException("Unknown settings section '"
                + name + "': the sections are " + Sections.names() + " (cameras: 'vigil camera list')."));
    }

    /** The camera property a user's key names ({@code sub-url} or {@code subUrl}), if any. */
    public static Optional<String> cameraProperty(String key) {
        return CameraKeys.property(key);
    }

    /** The camera keys users write, for messages. */
    public static String cameraKeyNames() {
        return CameraKeys.names();
    }

    /**
     * A camera from its properties, checked as {@code vigil camera add|set} checks it.
     *
     * @throws IllegalArgumentException with a sentence ending "Nothing was changed." when a value is not valid
     */
    public static CameraConfig validCamera(Map<String, Object> props) {
        String problem = CameraKeys.nameProblem(props);
        if (problem != null) {
            throw new IllegalArgumentException(problem + " Nothing was changed.");
        }
        try {
            return CameraProperties.toConfig(props);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " Nothing was changed.", e);
        }
    }

    /** JSON turned into plain values (text, whole numbers as Long, booleans, lists of text, maps), as setup files. */
    public static Object plain(JsonElement e) {
        return Json.plain(e);
    }

    /** True when two sets of a section's values are the same. */
    public static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        return ConfigAdminSettings.sameValues(a, b);
    }
}
