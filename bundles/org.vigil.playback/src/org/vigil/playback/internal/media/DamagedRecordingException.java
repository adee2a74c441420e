package org.vigil.playback.internal.media;

import java.io.IOException;

/** A recording file that cannot be played at all; the message says why, in words for a user. */
public final class DamagedRecordingException extends IOException {
    private static final long serialVersionUID = 1L;

    public DamagedRecordingException(String reason) {
        super(reason);
    }
}
