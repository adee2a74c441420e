package org.vigil.storage.internal.catalog;

import java.sql.SQLException;

/**
 * The catalog cannot be opened as it is (a newer schema, another program's database, a migration step that failed);
 * the message is one sentence for a user saying what is wrong and what to do, and the file was left as it was.
 */
public final class CatalogSchemaException extends SQLException {
    private static final long serialVersionUID = 1L;

    CatalogSchemaException(String message) {
        super(message);
    }

    CatalogSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
