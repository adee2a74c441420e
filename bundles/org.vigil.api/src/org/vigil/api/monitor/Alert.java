package org.vigil.api.monitor;

import java.time.Instant;
import java.util.Objects;

/**
 * An active alert.
 *
 * @param key     identifies the alert while it is active: kind and subject ({@code CAMERA_OFFLINE:front})
 * @param subject what the alert is about: a camera id, a volume's path, or {@code host} / {@code vigil}
 * @param raised  when it was raised
 * @param message one sentence for a user: what happened and what to do
 */
public record Alert(String key, AlertKind kind, String subject, Instant raised, String message) {
    public Alert {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(raised, "raised");
        Objects.requireNonNull(message, "message");
    }

    /** The key of the alert of {@code kind} about {@code subject}. */
    public static String key(AlertKind kind, String subject) {
        return kind.name() + ":" + subject;
    }
}
