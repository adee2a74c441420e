package org.vigil.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Handle of a listener registration: closing it removes the listener. Closing twice is harmless.
 * Every {@code addXxxListener} in Vigil returns one, so that no callback list grows without bound (seed S1).
 */
@ProviderType
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
