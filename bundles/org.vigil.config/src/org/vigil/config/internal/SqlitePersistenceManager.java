package org.vigil.config.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.felix.cm.PersistenceManager;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;

/**
 * Felix Configuration Admin's persistence in {@code config.db}. Configuration Admin calls {@link #store} with the
 * whole dictionary of the one configuration that changed; only the properties whose value differs from the stored
 * one are written. Vigil's own configurations (cameras and the settings sections) are checked before they are
 * written, so that the database never holds a camera Vigil could not use, whoever wrote it.
 * <p>
 * Configuration Admin wraps this in its caching proxy: everything is read once at start, then served from memory.
 */
final class SqlitePersistenceManager implements PersistenceManager {
    /** Felix's marker of a configuration created but never updated: it has no properties yet. */
    static final String NEW_CONFIGURATION = "_felix_.cm.newConfiguration";

    private static final Logger LOG = System.getLogger(SqlitePersistenceManager.class.getName());

    private final ConfigDatabase database;

    SqlitePersistenceManager(ConfigDatabase database) {
        this.database = database;
    }

    /**
     * The settings sections' PIDs, which always exist for Configuration Admin, empty (every value its default) until
     * something is set. Felix SCR 2.2 configures a component with several configuration PIDs (the storage: recording
     * and retention; the monitor: monitor, recording and retention) only up to the first PID that has no
     * configuration: with no recording setting made, {@code retention.minFreeDiskPercent=17} was ignored by the storage,
     * which kept 10 % free (issue 22). Nothing is written for them; an update stores a real row.
     */
    static final List<String> ALWAYS_PRESENT = java.util.stream.Stream.concat(Sections.ALL.stream().map(
            Sections.Section::pid), java.util.stream.Stream.of(org.vigil.api.monitor.MonitorSettings.PID)).distinct()
            .toList();

    @Override
    public boolean exists(String pid) {
        try {
            return database.exists(pid) || ALWAYS_PRESENT.contains(pid);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Dictionary load(String pid) throws IOException {
        Optional<ConfigDatabase.StoredConfiguration> c = database.load(pid);
        if (c.isEmpty() && ALWAYS_PRESENT.contains(pid)) {
            return empty(pid);
        }
        return c.isPresent() ? toDictionary(c.get()) : new Hashtable<String, Object>();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Enumeration getDictionaries() throws IOException {
        Map<String, ConfigDatabase.StoredConfiguration> stored = database.loadAll();
        List<Dictionary<String, Object>> all = new java.util.ArrayList<>(stored.values().stream()
                .map(SqlitePersistenceManager::toDictionary).toList());
        for (String pid : ALWAYS_PRESENT) {
            if (!stored.containsKey(pid)) {
                all.add(empty(pid));
            }
        }
        return Collections.enumeration(all);
    }

    private static Dictionary<String, Object> empty(String pid) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put(org.osgi.framework.Constants.SERVICE_PID, pid);
        return d;
    }

    @Override
    public void store(String pid, @SuppressWarnings("rawtypes") Dictionary properties) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Enumeration<?> keys = properties.keys(); keys.hasMoreElements();) {
            Object key = keys.nextElement();
            values.put(key.toString(), properties.get(key));
        }
        Object factory = values.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        String factoryPid = factory == null ? null : factory.toString();
        check(pid, factoryPid, values);
        Map<String, StoredValue> stored = new TreeMap<>();
        try {
            values.forEach((k, v) -> stored.put(k, StoredValue.encode(k, v)));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        database.store(pid, factoryPid, stored);
    }

    @Override
    public void delete(String pid) throws IOException {
        database.delete(pid);
    }

    /** Refuses a camera or section configuration Vigil could not use, with the sentence naming the rule. */
    static void check(String pid, String factoryPid, Map<String, Object> values) throws IOException {
        if (values.containsKey(NEW_CONFIGURATION)) {
            return;
        }
        try {
            if (CameraSettings.FACTORY_PID.equals(factoryPid)) {
                String id = CameraProperties.toConfig(values).id();
                Optional<String> named = CameraProperties.idOfPid(pid);
                if (named.isPresent() && !named.get().equals(id)) {
                    throw new IllegalArgumentException("The camera configuration " + pid + " must have the id '"
                            + named.get() + "', not '" + id + "'.");
                }
            } else if (factoryPid == null) {
                Optional<Sections.Section> section = Sections.byPid(pid);
                if (section.isPresent()) {
                    Sections.check(section.get(), values);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Refused to save " + pid + ": " + e.getMessage(), e);
        }
    }

    /** The dictionary exactly as it was stored (Felix's own records, such as its dynamic bindings, have no PID). */
    private static Dictionary<String, Object> toDictionary(ConfigDatabase.StoredConfiguration c) {
        Hashtable<String, Object> d = new Hashtable<>();
        c.properties().forEach((k, v) -> {
            try {
                d.put(k, v.decode());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The setting {0} of {1} in the configuration database cannot be read ({2});"
                        + " it is ignored.", k, c.pid(), e.getMessage());
            }
        });
        return d;
    }
}
