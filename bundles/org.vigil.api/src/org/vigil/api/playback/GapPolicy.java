package org.vigil.api.playback;

/** What a timeline does where a camera recorded nothing (a gap of more than a second). */
public enum GapPolicy {
    /** Go on at the next recording at once (the default), with a {@link PlaybackEvent.Kind#GAP_SKIPPED} note. */
    JUMP,
    /** Stop at the gap in {@link PlaybackState#NO_RECORDING}, saying when the next recording starts. */
    STOP
}
