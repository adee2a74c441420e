package org.vigil.config.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.CameraSettings;

/**
 * Camera passwords in {@code config.db}'s {@code camera_secret} table, apart from the camera configurations that
 * Configuration Admin holds (and {@code vigil shell} prints). Registered as {@link CameraSecrets} before the
 * persistence manager, so that it exists whenever a camera receives a configuration.
 */
public final class CameraSecretStore implements CameraSecrets {
    private static final Logger LOG = System.getLogger(CameraSecretStore.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The URL properties of a camera and the properties holding their passwords' refs. */
    static final Map<String, String> REFS = Map.of(CameraProperties.URL, URL_SECRET, CameraProperties.SUB_URL,
            SUB_URL_SECRET);

    private final ConfigDatabase database;

    CameraSecretStore(ConfigDatabase database) {
        this.database = database;
    }

    @Override
    public Optional<String> password(String cameraId, String ref) {
        try {
            return database.secret(cameraId, ref);
        } catch (ConfigDatabaseException e) {
            LOG.log(Level.WARNING, "The password of camera {0} cannot be read from the configuration database: {1}",
                    cameraId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The properties to give Configuration Admin for camera {@code id}: {@code values} with each password taken out
     * of its URL and kept here under a ref (the ref of {@code old} when the password did not change, else a new one).
     * A URL without a password loses its ref, unless {@code values} has one (its password was taken out before).
     */
    Map<String, Object> takeOut(String id, Map<String, Object> values, Map<String, Object> old)
            throws ConfigDatabaseException {
        Map<String, Object> result = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : REFS.entrySet()) {
            // a ref in values stays only with a URL that has no password (already taken out)
            Object keptRef = result.remove(e.getValue());
            Object url = result.get(e.getKey());
            CameraSecrets.Split split = url == null ? null : CameraSecrets.split(url.toString());
            if (split == null || split.password().isEmpty()) {
                if (keptRef != null && url != null) {
                    result.put(e.getValue(), keptRef);
                }
                continue;
            }
            String password = split.password().get();
            Object oldRef = old.get(e.getValue());
            String ref;
            if (oldRef != null && database.secret(id, oldRef.toString()).filter(password::equals).isPresent()) {
                ref = oldRef.toString();
            } else {
                ref = newRef();
                database.putSecret(ref, id, password);
            }
            result.put(e.getKey(), split.url());
            result.put(e.getValue(), ref);
        }
        return result;
    }

    /** Forgets every password no camera configuration in {@code cameras} names; returns how many. */
    int forgetUnused(Collection<? extends Map<String, ?>> cameras) throws ConfigDatabaseException {
        Set<String> unused = new TreeSet<>(database.secretRefs());
        for (Map<String, ?> c : cameras) {
            for (String refKey : REFS.values()) {
                Object ref = c.get(refKey);
                if (ref != null) {
                    unused.remove(ref.toString());
                }
            }
        }
        return database.deleteSecrets(unused);
    }

    /**
     * Moves the passwords that camera configurations of {@code database} still hold in their URLs (a database from
     * before schema 3, or a configuration written without {@code SettingsService}) into the secrets table, before
     * Configuration Admin reads them. Never logs a password.
     */
    public static void moveOutOfConfigurations(ConfigDatabase database) throws ConfigDatabaseException {
        CameraSecretStore store = new CameraSecretStore(database);
        List<Map<String, Object>> cameras = new java.util.ArrayList<>();
        for (ConfigDatabase.StoredConfiguration c : database.loadAll().values()) {
            if (!CameraSettings.FACTORY_PID.equals(c.factoryPid())) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            c.properties().forEach((k, v) -> {
                try {
                    values.put(k, v.decode());
                } catch (RuntimeException unreadable) {
                    // left as it is; the persistence manager says so when it loads it
                }
            });
            String id = CameraProperties.idOfPid(c.pid()).orElse(String.valueOf(values.get(CameraProperties.ID)));
            Map<String, Object> moved = store.takeOut(id, values, values);
            if (!moved.equals(values)) {
                Map<String, StoredValue> stored = new TreeMap<>(c.properties());
                for (String k : List.of(CameraProperties.URL, CameraProperties.SUB_URL, URL_SECRET, SUB_URL_SECRET)) {
                    if (moved.containsKey(k)) {
                        stored.put(k, StoredValue.encode(k, moved.get(k)));
                    }
                }
                database.store(c.pid(), c.factoryPid(), stored);
                LOG.log(Level.INFO, "Moved the password of camera {0} out of its configuration into the passwords"
                        + " table of {1} (vigil shell no longer shows it).", id, database.file());
            }
            cameras.add(moved);
        }
        store.forgetUnused(cameras);
    }

    private static String newRef() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "pw-" + HexFormat.of().formatHex(b);
    }
}
