package org.vigil.api.backup;

import java.io.IOException;
import java.util.List;

/**
 * A backup that did not start because a check failed (destination missing or read-only, not enough space, inside
 * the recordings, files too large for the destination's file system). Nothing was written. The message holds every
 * problem, one sentence each.
 */
public class BackupRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public BackupRefusedException(List<String> problems) {
        super(String.join(" ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per failed check. */
    public List<String> problems() {
        return problems;
    }
}
