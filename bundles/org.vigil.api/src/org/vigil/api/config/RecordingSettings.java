package org.vigil.api.config;

/** Recording settings shared by every camera: a component property type for the PID {@value #PID}. */
public @interface RecordingSettings {
    String PID = "org.vigil.recording";

    /** Where recordings are written, an absolute path; empty means {@code recordings} in the data directory. */
    String recordingsRoot() default "";

    /** Segment length in seconds given to a camera added without one (1 to 3600). */
    int segmentSeconds() default 60;
}
