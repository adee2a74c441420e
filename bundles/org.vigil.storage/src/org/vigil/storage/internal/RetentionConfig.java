package org.vigil.storage.internal;

/**
 * Configuration {@code org.vigil.retention}. The user's settings are the elements of
 * {@link org.vigil.api.config.RetentionSettings} ({@code minFreeDiskPercent}, {@code maxAgeDays},
 * {@code maxBytesPerCamera}: the last two are the limits of every camera that has none of its own, set through
 * {@link org.vigil.api.storage.Retention}); the others are tuning values with sensible defaults.
 */
public @interface RetentionConfig {
    String PID = "org.vigil.retention";

    /** Below this much free space (percent of the disk) the oldest recordings are deleted. */
    double minFreeDiskPercent() default 10;

    /** ... until free space is this many points above the minimum. */
    double hysteresisPercent() default 2;

    /** Emergency mode when less than this much recording (at the current rate) fits in the free space. */
    long emergencyWindowSeconds() default 3600;

    /** Recording pauses when less than this is free and nothing can be deleted. */
    long reserveMb() default 256;

    /** How often retention runs when nothing urges it. */
    long periodSeconds() default 60;

    /** How often free space and the volume identity are checked. */
    long monitorSeconds() default 5;

    /** Recordings older than this many days are deleted (0: kept until space is needed). */
    int maxAgeDays() default 0;

    /** The most bytes one camera's recordings may use (0: no limit). */
    long maxBytesPerCamera() default 0;
}
