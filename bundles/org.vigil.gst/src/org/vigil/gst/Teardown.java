package org.vigil.gst;

import java.time.Duration;

/**
 * What releasing a {@link ManagedPipeline} did.
 *
 * @param eosSent whether an end-of-stream was sent before stopping
 * @param eosReceived whether that end-of-stream reached the bus within the wait (files are then complete)
 * @param reachedNull whether the pipeline reached the NULL state
 * @param listenersDisconnected bus listeners and signal handlers disconnected
 * @param proxiesDisposed Java proxies of native objects disposed, the pipeline included
 * @param took how long the release took
 * @param firstRelease false when the pipeline had been released before (nothing was done)
 */
public record Teardown(boolean eosSent, boolean eosReceived, boolean reachedNull, int listenersDisconnected,
        int proxiesDisposed, Duration took, boolean firstRelease) {

    static Teardown again() {
        return new Teardown(false, false, true, 0, 0, Duration.ZERO, false);
    }
}
