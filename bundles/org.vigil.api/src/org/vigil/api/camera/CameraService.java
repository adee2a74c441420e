package org.vigil.api.camera;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

    /** How long a connection test waits at most when no time is given. */
    Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Tests a camera URL the way the recorder would connect to it, on a connection of its own (a camera being
     * recorded is not disturbed): which video it sends, which codec plugin would record it, the picture size, frame
     * rate and audio, and one decoded picture; or why it cannot be used, in the recorder's words. Returns at once;
     * the work runs on the shared scheduler and everything it opened is released before the result completes.
     * Cancelling the returned future ({@code cancel(true)}) stops the test and releases its connection.
     *
     * @param url       an rtsp:// or rtsps:// URL, with credentials when the camera needs them
     * @param transport how to receive the stream
     * @param codec     the codec the camera is set to, or {@link Codec#AUTO} to take any the plugins know
     * @param timeout   at most this long (from 1 to 60 seconds) until the result, which then says the camera did
     *                  not answer or sent no picture in time
     * @throws IllegalArgumentException with one sentence when the URL or the timeout is not valid
     */
    CompletableFuture<ProbeResult> probe(String url, Transport transport, Codec codec, Duration timeout);

    /** {@link #probe(String, Transport, Codec, Duration)} over TCP, any codec, {@link #DEFAULT_PROBE_TIMEOUT}. */
    default CompletableFuture<ProbeResult> probe(String url) {
        return probe(url, Transport.TCP, Codec.AUTO, DEFAULT_PROBE_TIMEOUT);
    }
}
