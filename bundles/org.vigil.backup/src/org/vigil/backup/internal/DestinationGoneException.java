package org.vigil.backup.internal;

import java.io.IOException;

/** The backup's destination disappeared while the job ran (a drive unplugged or unmounted, a folder deleted). */
final class DestinationGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    DestinationGoneException(String message) {
        super(message);
    }
}
