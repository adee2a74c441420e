package org.vigil.api.users;

import java.time.Instant;
import java.util.Objects;

/** One change in the audit log: when, who, from where, what (a verb such as {@code user.add}) and to what. */
public record AuditEntry(long id, Instant time, String actor, String from, String action, String target,
        String detail) {
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
    }
}
