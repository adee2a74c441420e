package org.vigil.api.users;

import java.util.Objects;

/**
 * Who made a change and from where, for the audit log: a user of the API and the client's address, or a local
 * account on the recorder's machine ({@code from} = {@code "local"}).
 */
public record Actor(String name, String from) {
    public Actor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(from, "from");
    }

    /** The local account running a command on the recorder's machine. */
    public static Actor local(String account) {
        return new Actor(account, "local");
    }
}
