package org.vigil.democam.internal;

/**
 * Settings of the demo camera (configuration PID {@value #PID}); a change restarts the server. The defaults give a
 * 720p25 camera with a 2 s GOP; the benchmarks use {@code width=1920}, {@code height=1080},
 * {@code bitrate.kbps=4000}.
 */
public @interface DemoCameraConfig {
    String PID = "org.vigil.democam";

    /** Picture width in pixels (a multiple of 8 for the MJPEG mount). */
    int width() default 1280;

    /** Picture height in pixels (a multiple of 8 for the MJPEG mount). */
    int height() default 720;

    /** Frames per second. */
    int framerate() default 25;

    /** H.264 and H.265 bitrate, kbit/s. */
    int bitrate_kbps() default 2000;

    /** Frames between keyframes (50 at 25 fps: a 2 s GOP). */
    int keyframe_interval() default 50;

    /** JPEG quality of the MJPEG mount, 1-100. */
    int jpeg_quality() default 70;

    /** Serve {@code /h264-aac}: the H.264 picture with an AAC test tone. */
    boolean audio() default true;

    /** Address to listen on; the demo camera is for this machine only. */
    String address() default "127.0.0.1";

    /** TCP port; 0 picks a free one (read it from the service's {@code port} property). */
    int port() default 0;
}
