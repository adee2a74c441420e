package org.vigil.web.api;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

import org.vigil.api.users.Actor;
import org.vigil.api.users.Role;

/** Who sent a request: an authenticated user, the user's role, and the client's address. */
public record Caller(String name, Role role, String address) {
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(address, "address");
    }

    /** The caller the recorder's context authenticated for {@code request}. */
    public static Caller of(HttpServletRequest request) {
        Object c = request.getAttribute(WebApi.CALLER_ATTRIBUTE);
        if (c instanceof Caller caller) {
            return caller;
        }
        // only a servlet registered outside the recorder's context gets here
        throw new ApiException(401, "This request was not authenticated; register the endpoint in the context "
                + WebApi.CONTEXT_NAME + ".");
    }

    /** Refuses with 403 unless the caller's role includes {@code needed}. */
    public Caller require(Role needed) {
        if (!role.includes(needed)) {
            throw new ApiException(403, "The user " + name + " (" + role.id() + ") may not do this; it needs the role "
                    + needed.id() + " or higher.");
        }
        return this;
    }

    /** The caller as the audit log names it. */
    public Actor actor() {
        return new Actor(name, address);
    }
}
