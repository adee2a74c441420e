package org.vigil.api.camera;

import java.time.Instant;
import java.util.Optional;

/**
 * A camera's state as published to listeners.
 *
 * @param reason why the camera is OFFLINE or RECONNECTING, one sentence for a user
 */
public record CameraStatus(String cameraId, CameraState state, Instant since, Optional<String> reason) {
}
