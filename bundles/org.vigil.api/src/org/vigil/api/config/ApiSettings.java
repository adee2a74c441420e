package org.vigil.api.config;

/**
 * The recorder's network API (HTTPS, and the RTSP re-stream): a component property type for the PID {@value #PID}.
 * Until {@link #listen()} says otherwise everything listens on loopback only.
 *
 * @since 1.2
 */
public @interface ApiSettings {
    String PID = "org.vigil.web";

    /**
     * The address the API and the RTSP re-stream listen on: {@code 127.0.0.1} (loopback, the default), {@code ::1},
     * one address of this machine, or {@code 0.0.0.0} / {@code ::} for every address. Beyond loopback only while an
     * admin user exists.
     */
    String listen() default "127.0.0.1";

    /** The HTTPS port; 0 picks a free port (tests), shown by {@code vigil api status}. */
    int port() default 8443;

    /** A plain HTTP port on loopback only, beside HTTPS; 0 (the default) offers none. */
    int httpPort() default 0;

    /**
     * The RTSP re-stream's port (rtsp:// on loopback, rtsps:// beyond it); 0 picks a free port. Kept for the re-stream,
     * which is not in this build yet (docs/API.md).
     */
    int rtspPort() default 8554;

    /** Whether plain rtsp:// (no TLS) is also offered beyond loopback; off by default. */
    boolean rtspPlainBeyondLoopback() default false;

    /** Minutes an API token stays valid after login. */
    int tokenMinutes() default 720;
}
