package org.vigil.api.camera;

/**
 * The states of a camera's recorder:
 * {@code DISABLED -> CONNECTING -> RECORDING (or STREAMING when recording is off) -> RECONNECTING -> ... | OFFLINE}.
 */
public enum CameraState {
    /** Switched off in the settings. */
    DISABLED,
    /** Opening the stream. */
    CONNECTING,
    /** Frames arrive and are written to segments. */
    RECORDING,
    /** Frames arrive; recording is off. */
    STREAMING,
    /** The stream was lost; a new attempt is scheduled. */
    RECONNECTING,
    /** The camera cannot be used until something changes (see the reason): wrong URL, no codec plugin, no disk. */
    OFFLINE;

    public boolean isReceiving() {
        return this == RECORDING || this == STREAMING;
    }
}
