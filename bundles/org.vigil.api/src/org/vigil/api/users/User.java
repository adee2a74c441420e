package org.vigil.api.users;

import java.time.Instant;
import java.util.Objects;

/** A user as listed: never with the password or its hash. */
public record User(String name, Role role, Instant created, Instant passwordChanged) {
    public User {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(passwordChanged, "passwordChanged");
    }
}
