package org.vigil.api.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert was raised or cleared.
 *
 * @param alert   the alert (as it was raised)
 * @param time    when it was raised or cleared
 * @param message one sentence: for {@link Type#RAISED} the alert's message, for {@link Type#CLEARED} what changed
 */
public record AlertEvent(Type type, Alert alert, Instant time, String message) {
    public enum Type {
        RAISED, CLEARED
    }

    public AlertEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
    }
}
