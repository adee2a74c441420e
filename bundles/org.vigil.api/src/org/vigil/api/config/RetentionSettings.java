package org.vigil.api.config;

/** How long recordings are kept: a component property type for the PID {@value #PID}. Zero means no limit. */
public @interface RetentionSettings {
    String PID = "org.vigil.retention";

    /** Recordings older than this many days are deleted; 0 keeps them until space is needed. */
    int maxAgeDays() default 0;

    /** The most bytes one camera's recordings may use; 0 means no per-camera limit. */
    long maxBytesPerCamera() default 0;

    /** The oldest recordings are deleted while less than this percentage of the disk is free (0 to 90). */
    int minFreeDiskPercent() default 10;
}
