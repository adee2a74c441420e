package org.vigil.api.playback;

/** Playback cannot do what was asked; the message is one sentence for a user (no recording there, bad camera ...). */
public class PlaybackException extends Exception {
    private static final long serialVersionUID = 1L;

    public PlaybackException(String message) {
        super(message);
    }

    public PlaybackException(String message, Throwable cause) {
        super(message, cause);
    }
}
