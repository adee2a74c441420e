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
 */
@Component(service = DataDirectory.class)
public final class LockedDataDirectory implements DataDirectory {
    public static final String PROPERTY = "vigil.data";
    private static final Logger LOG = System.getLogger(LockedDataDirectory.class.getName());

    private final DataDirectoryLock lock;

    @Activate
    public LockedDataDirectory(BundleContext context) throws DataDirectoryException {
        this(locate(context.getProperty(PROPERTY), System.getenv("VIGIL_DATA")));
    }

    public LockedDataDirectory(Path directory) throws DataDirectoryException {
        try {
            this.lock = DataDirectoryLock.acquire(directory);
        } catch (DataDirectoryException e) {
            LOG.log(Level.ERROR, e.getMessage());
            throw e;
        }
        try {
            Files.createDirectories(lock.directory().resolve("logs"));
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "Cannot create the log folder in {0}: {1}", lock.directory(), e.getMessage());
        }
        LOG.log(Level.DEBUG, "Data directory {0} locked by PID {1}", lock.directory(), lockOwnerPid());
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
        return lock.directory();
    }

    @Override
    public long lockOwnerPid() {
        return ProcessHandle.current().pid();
    }

    @Deactivate
    public void release() {
        lock.close();
    }
}
