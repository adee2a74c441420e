package org.vigil.api.users;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do. Each role includes the ones below it: an admin does everything (users, settings, cameras,
 * deletion); an operator views, exports, backs up and protects recordings; a viewer watches live and recorded video.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** The lower-case name used in commands and JSON: {@code viewer}, {@code operator}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role may do what {@code needed} may. */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
