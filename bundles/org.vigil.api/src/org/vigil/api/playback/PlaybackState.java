package org.vigil.api.playback;

/** Where a playback session is. */
public enum PlaybackState {
    /** Opening or repositioning: the first picture at the new position is on its way. */
    STARTING,
    PLAYING,
    PAUSED,
    /** Stopped at a stretch without recording ({@link GapPolicy#STOP}); playing goes on at the next recording. */
    NO_RECORDING,
    /** Past the last recording of every camera of the session. */
    ENDED,
    /** Playback failed; the status message says why. Seeking tries again. */
    FAILED,
    /** Stopped and released. */
    CLOSED;

    /** True once the session is released. */
    public boolean isClosed() {
        return this == CLOSED;
    }
}
