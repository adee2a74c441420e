package org.vigil.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/** Told about every state change of a camera. Called on a scheduler thread: return quickly. */
@ConsumerType
@FunctionalInterface
public interface CameraStatusListener {
    void statusChanged(CameraStatus status);
}
