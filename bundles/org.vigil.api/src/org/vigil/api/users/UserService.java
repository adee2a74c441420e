package org.vigil.api.users;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The recorder's users. Passwords are kept only as salted slow hashes and are taken as {@code char[]}, which the
 * service clears once hashed. Every change is written to the {@link AuditLog} with the {@link Actor} that made it.
 */
@ProviderType
public interface UserService {
    /** Every user, by name. */
    List<User> list() throws UsersException;

    Optional<User> find(String name) throws UsersException;

    /** Adds a user; refuses a taken or invalid name, and a password shorter than the minimum, with a sentence. */
    User add(String name, Role role, char[] password, Actor actor) throws UsersException;

    void changePassword(String name, char[] password, Actor actor) throws UsersException;

    void changeRole(String name, Role role, Actor actor) throws UsersException;

    /** Removes a user; the last admin cannot be removed or demoted while other users exist. */
    void remove(String name, Actor actor) throws UsersException;

    /**
     * The user when {@code password} is theirs; empty otherwise (an unknown name costs the same time as a wrong
     * password). Slow on purpose: callers that check the same credentials often cache the answer for minutes.
     */
    Optional<User> verify(String name, char[] password) throws UsersException;

    /** True when at least one admin exists (the API refuses to listen beyond loopback until one does). */
    boolean anyAdmin() throws UsersException;
}
