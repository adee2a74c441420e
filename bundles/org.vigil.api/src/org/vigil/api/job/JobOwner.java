package org.vigil.api.job;

import java.util.Objects;
import java.util.function.Function;

import org.vigil.api.users.Role;

/**
 * Who started a job through the network API, and how its result reads as JSON (api.job 1.1). The endpoint that
 * starts a job hands it to {@link JobRunner#own}; {@code GET /api/jobs/{id}} then shows the result the way the
 * command's {@code --json} does, and only the owner (or an admin) may cancel it.
 *
 * @param user       the user who started the job
 * @param role       the role the job needed: a caller with at least this role and the same name, or an admin, may
 *                   cancel it
 * @param resultView turns the job's result into maps and lists for JSON (the command's {@code --json} fields)
 */
public record JobOwner(String user, Role role, Function<Object, Object> resultView) {
    public JobOwner {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(resultView, "resultView");
    }
}
