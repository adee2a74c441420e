package org.vigil.api.platform;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The data directory of this Vigil instance ({@code --data DIR}, else {@code $VIGIL_DATA}, else
 * {@code ~/.local/share/vigil}). It is owner-only and locked by the instance that uses it: the service exists only
 * while this instance holds the lock.
 */
@ProviderType
public interface DataDirectory {
    /** The directory itself. */
    Path root();

    /** A file or folder inside the data directory, such as {@code config.db} or {@code recordings}. */
    default Path resolve(String name) {
        return root().resolve(name);
    }

    /** Where Vigil writes its logs. */
    default Path logs() {
        return resolve("logs");
    }

    /** The PID of the process holding the lock (this one). */
    long lockOwnerPid();
}
