package org.vigil.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vigil.api.platform.DataDirectory;

/**
 * The instance's data directory, locked for as long as this component is active. Its location is the framework
 * property {@value #PROPERTY} (set by the launcher from {@code --data}), else {@code $VIGIL_DATA}, else
 * {@code ~/.local/share/vigil}.
 * <p>
 * The launcher takes the lock itself before it starts the framework and holds it for the life of its process; it
 * says so with the framework property {@value #HELD_PROPERTY} (its PID). Then this component does not lock again:
 * a second lock attempt, or closing a second channel on the lock file, would release the process's POSIX lock.
 * Without that property (test frameworks) it takes the lock itself.
 */
@Component(service = DataDirectory.class)
public final class LockedDataDirectory implements DataDirectory {
    public static final String PROPERTY = "vigil.data";
    /** Framework property: the PID of the launcher process that already holds the data directory's lock. */
    public static final String HELD_PROPERTY = "vigil.data.lockedBy";
    private static final Logger LOG = System.getLogger(LockedDataDirectory.class.getName());

    private final Path root;
    /** Null when the launcher of this process holds the lock. */
    private final DataDirectoryLock lock;

    @Activate
    public LockedDataDirectory(BundleContext context) throws DataDirectoryException {
        this(locate(context.getProperty(PROPERTY), System.getenv("VIGIL_DATA")),
                heldByThisProcess(context.getProperty(HELD_PROPERTY)));
    }

    public LockedDataDirectory(Path directory) throws DataDirectoryException {
        this(directory, false);
    }

    /** @param heldByLauncher the launcher of this process holds the lock: do not touch the lock file */
    public LockedDataDirectory(Path directory, boolean heldByLauncher) throws DataDirectoryException {
        try {
            if (heldByLauncher) {
                this.lock = null;
                this.root = DataDirectoryLock.prepare(directory);
            } else {
                this.lock = DataDirectoryLock.acquire(directory);
                this.root = lock.directory();
            }
        } catch (DataDirectoryException e) {
            LOG.log(Level.ERROR, e.getMessage());
            throw e;
        }
        try {
            Files.createDirectories(root.resolve("logs"));
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "Cannot create the log folder in {0}: {1}", root, e.getMessage());
        }
        LOG.log(Level.DEBUG, "Data directory {0} locked by PID {1}{2}", root, lockOwnerPid(),
                heldByLauncher ? " (its launcher)" : "");
    }

    /** True when {@code property} (the launcher's PID) names this very process. */
    static boolean heldByThisProcess(String property) {
        if (property == null || property.isBlank()) {
            return false;
        }
        try {
            return Long.parseLong(property.trim()) == ProcessHandle.current().pid();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Where the data directory is: the explicit setting, else the environment, else the XDG default. */
    public static Path locate(String property, String environment) {
        if (property != null && !property.isBlank()) {
            return Paths.get(property.trim()).toAbsolutePath().normalize();
        }
        if (environment != null && !environment.isBlank()) {
            return Paths.get(environment.trim()).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".local", "share");
        return base.resolve("vigil").toAbsolutePath().normalize();
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public long lockOwnerPid() {
        return ProcessHandle.current().pid();
    }

    @Deactivate
    public void release() {
        if (lock != null) {
            lock.close();
        }
    }
}
