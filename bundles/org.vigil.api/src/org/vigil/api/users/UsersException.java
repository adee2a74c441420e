package org.vigil.api.users;

/** A refused or failed user operation, with one sentence for the user (what is wrong, what to do). */
public class UsersException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsersException(String message) {
        super(message);
    }

    public UsersException(String message, Throwable cause) {
        super(message, cause);
    }
}
