package org.vigil.api.playback;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a session is, reported every 200 ms while it is open and at every change of state.
 *
 * @param position      the wall-clock time on the timeline shown now
 * @param speed         the playback speed (1 is real time)
 * @param recorded      the recordings of the session's cameras from the first to the last, known once when the
 *                      session opened (seed S10: nothing is asked of the files or the pipeline per report)
 * @param nextRecording where the next recording starts, in {@link PlaybackState#NO_RECORDING}
 * @param message       a sentence for the user when the state needs one ("No recording until 10:42:07.")
 */
public record PlaybackStatus(List<String> cameras, PlaybackState state, Instant position, double speed,
        TimeRange recorded, Optional<Instant> nextRecording, Optional<String> message) {

    public PlaybackStatus {
        cameras = List.copyOf(cameras);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(recorded, "recorded");
        Objects.requireNonNull(nextRecording, "nextRecording");
        Objects.requireNonNull(message, "message");
    }

    /** The position as an offset into {@link #recorded()}, clamped to it. */
    public Duration offset() {
        if (position.isBefore(recorded.start())) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(recorded.start(), position);
        return d.compareTo(recorded.duration()) > 0 ? recorded.duration() : d;
    }
}
