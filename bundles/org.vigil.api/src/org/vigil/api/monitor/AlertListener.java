package org.vigil.api.monitor;

import org.osgi.annotation.versioning.ConsumerType;

/** Told about every alert raised or cleared. Called on a scheduler thread: return quickly. */
@ConsumerType
@FunctionalInterface
public interface AlertListener {
    void alertChanged(AlertEvent event);
}
