package org.vigil.api.config;

/**
 * Settings could not be read or saved: an invalid value (the sentence names the field and the rule) or a storage
 * problem (full or read-only disk). When it is thrown nothing was changed.
 */
public class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
