package org.vigil.api.platform;

import java.util.Locale;

/**
 * What the running framework is for, from the framework property {@value #PROPERTY} set by the launcher.
 * Recorders run only in {@link #RECORDER} and {@link #WORKBENCH} mode; a one-shot command never starts cameras.
 */
public enum VigilMode {
    /** {@code vigil run --headless}: the recorder as a service. */
    RECORDER,
    /** {@code vigil}: the recorder with the SWT workbench. */
    WORKBENCH,
    /** {@code vigil <command>} with no running instance: settings and catalog only, no cameras. */
    COMMAND,
    /** {@code vigil democam}: only the demo camera. */
    DEMOCAM,
    /** Integration tests: components behave as in the recorder unless a test says otherwise. */
    TEST;

    public static final String PROPERTY = "vigil.mode";

    /** Parses a property value; absent or unknown means {@link #RECORDER}. */
    public static VigilMode of(String value) {
        if (value == null || value.isBlank()) {
            return RECORDER;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return RECORDER;
        }
    }

    /** Whether cameras are recorded in this mode. */
    public boolean records() {
        return this == RECORDER || this == WORKBENCH || this == TEST;
    }
}
