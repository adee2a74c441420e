package org.vigil.api.playback;

import java.time.Instant;
import java.util.Objects;

/**
 * Something a viewer should be told about while playing: a gap skipped, a damaged recording left out, the end of the
 * recordings.
 *
 * @param cameraId the camera concerned
 * @param time     the position on the timeline it concerns
 * @param message  one sentence for a user
 */
public record PlaybackEvent(Kind kind, String cameraId, Instant time, String message) {

    public enum Kind {
        /** No recording from {@code time} on for a while; playback went on at the next recording. */
        GAP_SKIPPED,
        /** No recording from {@code time} on; playback stopped there (or this camera waits while others play). */
        NO_RECORDING,
        /** A recording could not be played (damaged, unreadable, deleted) and was left out. */
        SEGMENT_SKIPPED,
        /** A recording ends before the catalog said it would (cut by a crash or a full disk). */
        SEGMENT_ENDS_EARLY,
        /** No recording after {@code time}. */
        END_OF_RECORDINGS,
        /** Playback of this camera failed; the message says why. */
        FAILED
    }

    public PlaybackEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
    }
}
