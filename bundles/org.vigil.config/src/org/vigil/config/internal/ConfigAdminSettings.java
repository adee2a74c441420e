package org.vigil.config.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraId;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;

/**
 * {@link SettingsService} over Configuration Admin. Values are validated before anything is written, and an
 * unchanged configuration is not updated at all ({@link Configuration#updateIfDifferent}); below it the persistence
 * manager writes only the changed properties. Several changes at once ({@link #apply(Plan)}) are all validated first
 * and undone if one of them cannot be saved.
 * <p>
 * Camera passwords are not given to Configuration Admin: a camera URL is stored without its password, which is kept
 * apart ({@link CameraSecretStore}, named by a ref in {@link CameraSecrets#URL_SECRET}); every read here puts it back,
 * so callers see complete URLs (and mask them before showing them).
 */
@Component(service = { SettingsService.class, ConfigAdminSettings.class })
public final class ConfigAdminSettings implements SettingsService {
    private static final Logger LOG = System.getLogger(ConfigAdminSettings.class.getName());
    private static final String CAMERAS = "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
            + CameraSettings.FACTORY_PID + ")";

    /** Changes to make together: cameras to save or remove, sections with their complete new values. */
    public record Plan(List<CameraConfig> saveCameras, List<String> removeCameras,
            Map<String, Map<String, Object>> sections) {
        public boolean isEmpty() {
            return saveCameras.isEmpty() && removeCameras.isEmpty() && sections.isEmpty();
        }
    }

    private final ConfigurationAdmin admin;
    /** Null when config.db is not Configuration Admin's store (passwords then stay in the URLs). */
    private final CameraSecretStore secrets;

    @Activate
    public ConfigAdminSettings(@Reference ConfigurationAdmin admin,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ConfigStorage storage) {
        this.admin = admin;
        this.secrets = storage == null ? null : storage.secrets().orElse(null);
    }

    @Override
    public List<CameraConfig> cameras() throws SettingsException {
        List<CameraConfig> result = new ArrayList<>();
        for (Configuration c : list(CAMERAS)) {
            try {
                result.add(CameraProperties.toConfig(withPasswords(userProperties(c))));
            } catch (IllegalArgumentException e) {
                LOG.log(Level.WARNING, "The camera configuration {0} is not usable and was skipped: {1}", c.getPid(),
                        e.getMessage());
            }
        }
        result.sort(Comparator.comparing(CameraConfig::id));
        return result;
    }

    @Override
    public Optional<CameraConfig> camera(String id) throws SettingsException {
        return cameraProperties(id).map(CameraProperties::toConfig);
    }

    @Override
    public SortedMap<String, Map<String, Object>> storedCameras() throws SettingsException {
        SortedMap<String, Map<String, Object>> result = new TreeMap<>();
        for (Configuration c : list(CAMERAS)) {
            Map<String, Object> p;
            try {
                p = withPasswords(userProperties(c));
            } catch (IllegalStateException deletedMeanwhile) {
                continue;
            }
            Object id = p.get(CameraProperties.ID);
            result.put(id == null ? CameraProperties.idOfPid(c.getPid()).orElse(c.getPid()) : String.valueOf(id), p);
        }
        return result;
    }

    /** The stored properties of a camera (unknown keys of other bundles included), passwords in the URLs. */
    public Optional<Map<String, Object>> cameraProperties(String id) throws SettingsException {
        return rawCameraProperties(id).map(this::withPasswords);
    }

    /** The properties of a camera as Configuration Admin holds them (URLs without passwords, their refs). */
    private Optional<Map<String, Object>> rawCameraProperties(String id) throws SettingsException {
        if (!CameraId.isValid(id)) {
            return Optional.empty();
        }
        return find(CameraProperties.pid(id)).map(ConfigAdminSettings::userProperties);
    }

    /** A camera's properties with the kept passwords put back into its URLs and without their refs. */
    private Map<String, Object> withPasswords(Map<String, Object> properties) {
        return secrets == null ? properties : secrets.resolve(properties);
    }

    /** Forgets the kept passwords no camera names any more (after a change; a failure only leaves rows behind). */
    private void forgetUnusedPasswords() {
        if (secrets == null) {
            return;
        }
        try {
            List<Map<String, Object>> all = new ArrayList<>();
            for (Configuration c : list(CAMERAS)) {
                all.add(userProperties(c));
            }
            secrets.forgetUnused(all);
        } catch (SettingsException | ConfigDatabaseException | IllegalStateException e) {
            LOG.log(Level.WARNING, "Passwords of changed or removed cameras could not be forgotten yet: {0}",
                    e.getMessage());
        }
    }

    @Override
    public boolean saveCamera(CameraConfig camera) throws SettingsException {
        Objects.requireNonNull(camera, "camera");
        try {
            boolean written = writeCamera(camera);
            if (written) {
                forgetUnusedPasswords();
            }
            return written;
        } catch (IOException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /** Also refuses a name that is not plain text, as {@code vigil camera add} does. */
    @Override
    public void addCamera(CameraConfig camera) throws SettingsException {
        checkName(camera);
        SettingsService.super.addCamera(camera);
    }

    /** Also refuses a name that is not plain text, as {@code vigil camera set} does. */
    @Override
    public boolean changeCamera(CameraConfig camera) throws SettingsException {
        checkName(camera);
        return SettingsService.super.changeCamera(camera);
    }

    private static void checkName(CameraConfig camera) throws SettingsException {
        String problem = CameraKeys.nameProblem(CameraProperties.toProperties(camera));
        if (problem != null) {
            throw new SettingsException(problem + " Nothing was changed.");
        }
    }

    @Override
    public boolean removeCamera(String id) throws SettingsException {
        if (!CameraId.isValid(id)) {
            return false;
        }
        Optional<Configuration> c = find(CameraProperties.pid(id));
        if (c.isEmpty()) {
            return false;
        }
        try {
            c.get().delete();
            forgetUnusedPasswords();
            return true;
        } catch (IOException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Object> section(String pid) throws SettingsException {
        Sections.byPid(pid).orElseThrow(() -> new SettingsException("Unknown settings section " + pid + "."));
        return find(pid).map(ConfigAdminSettings::userProperties).orElseGet(LinkedHashMap::new);
    }

    @Override
    public boolean updateSection(String pid, Map<String, ?> changes) throws SettingsException {
        Map<String, Object> values = mergeSection(pid, changes);
        try {
            return writeSection(pid, values);
        } catch (IOException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /**
     * The complete new values of a section after {@code changes} (keys by name or with dashes, values typed or text,
     * null resets to the default), validated.
     */
    public Map<String, Object> mergeSection(String pid, Map<String, ?> changes) throws SettingsException {
        Sections.Section section = Sections.byPid(pid)
                .orElseThrow(() -> new SettingsException("Unknown settings section " + pid + "."));
        Map<String, Object> values = section(pid);
        try {
            for (Map.Entry<String, ?> e : changes.entrySet()) {
                Sections.Key key = section.key(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                        "Unknown setting '" + section.name() + "." + e.getKey() + "': the keys of " + section.name()
                                + " are " + section.keyNames() + "."));
                if (e.getValue() == null) {
                    values.remove(key.name());
                } else {
                    values.put(key.name(), key.parse(e.getValue()));
                }
            }
            Sections.check(section, values);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        return values;
    }

    /**
     * Makes every change of {@code plan}, which the caller has validated. If one cannot be saved (full or read-only
     * disk), the changes already made are undone and the exception says so.
     *
     * @return how many configurations were written
     */
    public int apply(Plan plan) throws SettingsException {
        List<Runnable> undo = new ArrayList<>();
        int written = 0;
        try {
            for (Map.Entry<String, Map<String, Object>> s : plan.sections().entrySet()) {
                Optional<Map<String, Object>> before = find(s.getKey()).map(ConfigAdminSettings::userProperties);
                if (writeSection(s.getKey(), s.getValue())) {
                    written++;
                    undo.add(() -> restore(s.getKey(), null, before));
                }
            }
            for (CameraConfig camera : plan.saveCameras()) {
                Optional<Map<String, Object>> before = rawCameraProperties(camera.id());
                if (writeCamera(camera)) {
                    written++;
                    undo.add(() -> restore(CameraProperties.pid(camera.id()), camera.id(), before));
                }
            }
            for (String id : plan.removeCameras()) {
                Optional<Map<String, Object>> before = rawCameraProperties(id);
                if (removeCamera(id)) {
                    written++;
                    undo.add(() -> restore(CameraProperties.pid(id), id, before));
                }
            }
            forgetUnusedPasswords();
            return written;
        } catch (IOException | SettingsException e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            throw new SettingsException(e.getMessage() + (undo.isEmpty() ? ""
                    : " The " + undo.size() + " change(s) already made were undone."), e);
        }
    }

    /** Puts a configuration back as it was (best effort: this runs after a failed save). */
    private void restore(String pid, String cameraId, Optional<Map<String, Object>> before) {
        try {
            Optional<Configuration> now = find(pid);
            if (before.isEmpty()) {
                if (now.isPresent()) {
                    now.get().delete();
                }
            } else if (cameraId != null) {
                admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, cameraId, LOCATION)
                        .updateIfDifferent(new Hashtable<>(before.get()));
            } else {
                admin.getConfiguration(pid, LOCATION).updateIfDifferent(new Hashtable<>(before.get()));
            }
        } catch (IOException | SettingsException | RuntimeException e) {
            LOG.log(Level.ERROR, "Could not undo the change of {0} after a failed save: {1}", pid, e.getMessage());
        }
    }

    private boolean writeCamera(CameraConfig camera) throws IOException, SettingsException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> old = rawCameraProperties(camera.id()).orElseGet(Map::of);
        // keep what other bundles stored beside Vigil's camera settings
        old.forEach((k, v) -> {
            if (!CameraProperties.NAMES.contains(k) && !CameraSecretStore.REFS.containsValue(k)) {
                values.put(k, v);
            }
        });
        values.putAll(CameraProperties.toProperties(camera));
        Map<String, Object> stored = values;
        if (secrets != null) {
            try {
                stored = secrets.takeOut(camera.id(), values, old);
            } catch (ConfigDatabaseException e) {
                throw new SettingsException("The password of camera " + camera.id() + " could not be saved: "
                        + e.getMessage(), e);
            }
        }
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, camera.id(), LOCATION);
        return c.updateIfDifferent(new Hashtable<>(stored));
    }

    private boolean writeSection(String pid, Map<String, Object> values) throws IOException, SettingsException {
        Optional<Configuration> existing = find(pid);
        if (existing.isEmpty() && values.isEmpty()) {
            return false;
        }
        if (existing.isPresent() && sameValues(userProperties(existing.get()), values)) {
            return false;
        }
        Configuration c = existing.isPresent() ? existing.get() : admin.getConfiguration(pid, LOCATION);
        return c.updateIfDifferent(new Hashtable<>(values));
    }

    private Optional<Configuration> find(String pid) throws SettingsException {
        Configuration[] found = listRaw("(" + Constants.SERVICE_PID + "=" + pid + ")");
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    private List<Configuration> list(String filter) throws SettingsException {
        Configuration[] found = listRaw(filter);
        return found == null ? List.of() : Arrays.asList(found);
    }

    private Configuration[] listRaw(String filter) throws SettingsException {
        try {
            return admin.listConfigurations(filter);
        } catch (IOException e) {
            throw new SettingsException(e.getMessage(), e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A configuration's properties without those Configuration Admin adds itself. */
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

    static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
