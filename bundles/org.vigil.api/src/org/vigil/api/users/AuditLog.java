package org.vigil.api.users;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The trail of changes: who changed what, when and from where. Entries are only ever added. */
@ProviderType
public interface AuditLog {
    /** Adds an entry now; never throws (a log that cannot be written is reported in the recorder's log). */
    void record(Actor actor, String action, String target, String detail);

    /** Entries at or after {@code since}, oldest first, at most {@code limit}. */
    List<AuditEntry> since(Instant since, int limit) throws UsersException;
}
