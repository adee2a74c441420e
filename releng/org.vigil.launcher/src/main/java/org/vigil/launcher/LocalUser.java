package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;

import com.sun.security.auth.module.UnixSystem;

/**
 * The local user this process runs as, for the checks that keep another user's files and sockets out of the way
 * ({@link DataDirectoryCheck}, {@link ControlClient}): its uid, its name for messages, and whether a user seen on a
 * file or a connection is this one or root.
 */
final class LocalUser {
    private static final UnixSystem SELF = new UnixSystem();

    private LocalUser() {
    }

    static long uid() {
        return SELF.getUid();
    }

    /** The name of this user ({@code uid 1234} when the user database does not know it). */
    static String name() {
        String n = SELF.getUsername();
        return n == null || n.isBlank() ? "uid " + uid() : n;
    }

    /** Whether {@code uid} is this user or root: the only users whose files and sockets Vigil trusts. */
    static boolean trusts(long uid) {
        return uid == uid() || uid == 0;
    }

    /** Whether the user behind a connection (its peer credentials) is this user or root. */
    static boolean trusts(UserPrincipal peer) throws IOException {
        var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        // a numeric name is taken as a uid; principals are equal when their uids are
        return peer.equals(lookup.lookupPrincipalByName(Long.toString(uid())))
                || peer.equals(lookup.lookupPrincipalByName("0"));
    }
}
