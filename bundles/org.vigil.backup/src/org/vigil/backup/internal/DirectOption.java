package org.vigil.backup.internal;

import java.nio.file.OpenOption;

/** The JDK's O_DIRECT open option ({@code com.sun.nio.file.ExtendedOpenOption.DIRECT}), when it can be reached. */
final class DirectOption {
    private static final OpenOption DIRECT = load();

    private DirectOption() {
    }

    private static OpenOption load() {
        try {
            return com.sun.nio.file.ExtendedOpenOption.DIRECT;
        } catch (LinkageError e) { // the framework does not export com.sun.nio.file
            return null;
        }
    }

    static OpenOption get() {
        return DIRECT;
    }
}
