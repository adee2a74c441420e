package org.vigil.storage.internal;

/**
 * Configuration {@code org.vigil.recording}, written by the configuration bundle: the property names are the
 * elements of {@link org.vigil.api.config.RecordingSettings} ({@code vigil config set recording.recordingsRoot=...}).
 */
public @interface RecordingConfig {
    String PID = "org.vigil.recording";

    /** Where recordings go; empty means {@code <data directory>/recordings}. */
    String recordingsRoot() default "";
}
