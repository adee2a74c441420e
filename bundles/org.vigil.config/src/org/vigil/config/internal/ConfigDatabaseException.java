package org.vigil.config.internal;

import java.io.IOException;

/** The configuration database cannot be opened or written; the message is one sentence for a user. */
public final class ConfigDatabaseException extends IOException {
    private static final long serialVersionUID = 1L;

    public ConfigDatabaseException(String message) {
        super(message);
    }

    public ConfigDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
