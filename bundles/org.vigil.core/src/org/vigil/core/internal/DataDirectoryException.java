package org.vigil.core.internal;

/** The data directory cannot be used; the message is one sentence for a user. */
public final class DataDirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DataDirectoryException(String message) {
        super(message);
    }
}
