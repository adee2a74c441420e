package org.vigil.api.camera;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * The cameras a recorder runs: one supervised recorder per camera configuration, each with a state
 * ({@link CameraState}) that is published to listeners. Listeners can also be registered as whiteboard services of
 * type {@link CameraStatusListener}.
 */
@ProviderType
public interface CameraService {
    /** The status of every configured camera, sorted by id (disabled ones included). */
    List<CameraStatus> cameras();

    /** The status of one camera, when it is configured. */
    Optional<CameraStatus> status(String cameraId);

    /** A snapshot of one camera's recorder (frames, bit rate, reconnects...), when it is configured. */
    Optional<CameraStatistics> statistics(String cameraId);

    /**
     * Tells {@code listener} about every state change of every camera, starting with the current status of each.
     * Closing the returned handle removes the listener; registering the same listener twice gives two
     * registrations.
     */
    Registration addStatusListener(CameraStatusListener listener);
}
