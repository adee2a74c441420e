package org.vigil.api.monitor;

/**
 * The system monitor's settings: a component property type for the PID {@value #PID}. The recordings root and the
 * free-space floor come from the recording and retention settings ({@code org.vigil.api.config}).
 */
public @interface MonitorSettings {
    String PID = "org.vigil.monitor";

    /** Seconds between two readings (1 to 60). */
    int intervalSeconds() default 2;

    /** A camera that delivers no frames for this many seconds is reported offline. */
    int cameraOfflineSeconds() default 30;

    /** The SoC temperature, in °C, above which an alert is raised; it clears 5 °C below. */
    int temperatureLimitCelsius() default 80;

    /** Free space must stay below the retention floor this many seconds before the disk alert is raised. */
    int diskLowDelaySeconds() default 120;

    /** Minutes over which the trend of free space is measured, for the "filling faster than retention" alert. */
    int diskTrendMinutes() default 10;

    /** Minutes of steady growth of Vigil's memory or threads that make a leak alarm. */
    int leakWindowMinutes() default 60;

    /** Growth of Vigil's resident memory, in MiB, over the leak window that makes a leak alarm. */
    int leakMemoryMegabytes() default 32;

    /** Growth of Vigil's thread count over the leak window that makes a leak alarm. */
    int leakThreads() default 10;

    /** TCP port of the HTTP endpoint serving {@code /metrics} in the Prometheus text format; 0 switches it off. */
    int metricsPort() default 0;

    /** Address the metrics endpoint binds to; only this machine can reach the default. */
    String metricsAddress() default "127.0.0.1";
}
