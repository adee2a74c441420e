package org.vigil.config.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.apache.felix.cm.PersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.platform.DataDirectory;

/**
 * Owns {@code config.db} in the data directory for as long as the data directory is held: opens it (repairing or
 * migrating it, and moving camera passwords out of the camera configurations), registers {@link CameraSecrets}, offers
 * it to Configuration Admin as the persistence manager {@value #PERSISTENCE_MANAGER_NAME}, and
 * on deactivation (framework stop, bundle stop or update, data directory released) withdraws it and closes the
 * file. When the file cannot be used the component stays active without a persistence manager and says why, so
 * that commands can tell the user.
 */
@Component(service = ConfigStorage.class, immediate = true)
public final class ConfigStorage {
    /** The {@code name} of the persistence manager; the framework property {@value #PM_PROPERTY} must name it. */
    public static final String PERSISTENCE_MANAGER_NAME = "vigil.sqlite";
    /** The framework property Felix Configuration Admin reads to choose its persistence manager. */
    public static final String PM_PROPERTY = "felix.cm.pm";
    private static final Logger LOG = System.getLogger(ConfigStorage.class.getName());

    private final Path file;
    private final ConfigDatabase database;
    private final String problem;
    /** Closes the file when the JVM exits without stopping the framework (System.exit, SIGTERM without hook). */
    private final Thread closeOnExit;
    private final CameraSecretStore secrets;
    private ServiceRegistration<PersistenceManager> registration;
    private ServiceRegistration<CameraSecrets> secretsRegistration;

    @Activate
    public ConfigStorage(@Reference DataDirectory data, BundleContext context) {
        this.file = data.resolve(ConfigDatabase.FILE_NAME);
        ConfigDatabase db = null;
        String why = null;
        long t0 = System.nanoTime();
        try {
            db = ConfigDatabase.open(file);
        } catch (ConfigDatabaseException e) {
            why = e.getMessage();
            LOG.log(Level.ERROR, why);
        }
        this.database = db;
        this.problem = why;
        this.secrets = db == null ? null : new CameraSecretStore(db);
        ConfigDatabase opened = db;
        this.closeOnExit = new Thread(() -> {
            if (opened != null) {
                opened.close();
            }
        }, "vigil-config-close-on-exit");
        if (db != null) {
            LOG.log(Level.INFO, "Settings are kept in {0} (schema {1}, opened in {2} ms).", file, Migrations.LATEST,
                    (System.nanoTime() - t0) / 1_000_000);
            Runtime.getRuntime().addShutdownHook(closeOnExit);
            String configured = context.getProperty(PM_PROPERTY);
            if (!PERSISTENCE_MANAGER_NAME.equals(configured)) {
                LOG.log(Level.WARNING, "Configuration Admin does not keep settings in {0}: the framework property {1}"
                        + " is ''{2}'' and must be ''{3}'' (conf/config.properties).", file, PM_PROPERTY, configured,
                        PERSISTENCE_MANAGER_NAME);
            }
            try {
                CameraSecretStore.moveOutOfConfigurations(db);
            } catch (ConfigDatabaseException e) {
                LOG.log(Level.WARNING, "Camera passwords could not be moved out of the camera configurations ({0});"
                        + " they stay where they are.", e.getMessage());
            }
            // before the persistence manager: a camera never receives a configuration without it
            this.secretsRegistration = context.registerService(CameraSecrets.class, secrets, null);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(PersistenceManager.PROPERTY_NAME, PERSISTENCE_MANAGER_NAME);
            props.put(Constants.SERVICE_DESCRIPTION, "Vigil configuration database " + file);
            props.put(Constants.SERVICE_VENDOR, "Vigil");
            // Configuration Admin starts synchronously here, reading every configuration from the database
            this.registration = context.registerService(PersistenceManager.class, new SqlitePersistenceManager(db),
                    props);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Why settings cannot be saved, when the database could not be opened. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Where camera passwords are kept (absent when the database could not be opened). */
    Optional<CameraSecretStore> secrets() {
        return Optional.ofNullable(secrets);
    }

    /** The open database (absent when it could not be opened). */
    public Optional<ConfigDatabase> database() {
        return Optional.ofNullable(database);
    }

    /** Withdraws the persistence manager (Configuration Admin stops with it), then closes the file. */
    @Deactivate
    public synchronized void close() {
        ServiceRegistration<PersistenceManager> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with the stopping bundle
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Configuration Admin failed while stopping: " + e, e);
            }
        }
        ServiceRegistration<CameraSecrets> sr = secretsRegistration;
        secretsRegistration = null;
        if (sr != null) {
            try {
                sr.unregister();
            } catch (IllegalStateException e) {
                // already unregistered with the stopping bundle
            }
        }
        if (database != null) {
            database.close();
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs or has run, and closing twice is harmless
            }
        }
    }
}
