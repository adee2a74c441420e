package org.vigil.api.config;

/**
 * The settings of one camera: a component property type for components configured by the factory PID
 * {@value #FACTORY_PID}. Each camera is one factory configuration named by its id ({@code org.vigil.camera~front}).
 * Property names are the element names ({@code url}, {@code reconnectMinSeconds}, ...); defaults apply to a missing
 * property. {@link CameraProperties#toConfig(CameraSettings)} turns them into a validated
 * {@link org.vigil.api.camera.CameraConfig}.
 */
public @interface CameraSettings {
    /** The factory PID of camera configurations. */
    String FACTORY_PID = "org.vigil.camera";

    /** The camera id, {@code [a-z0-9][a-z0-9_-]{0,63}}; it names the camera's folder under the recordings root. */
    String id();

    /** The name shown to users; empty means the id. */
    String name() default "";

    /** The main stream, {@code rtsp://} or {@code rtsps://}, credentials included. */
    String url();

    /** The optional low-resolution stream used by live view; empty when there is none. */
    String subUrl() default "";

    /** {@code auto}, {@code h264}, {@code h265} or {@code mjpeg}. */
    String codec() default "auto";

    /** Whether the camera is recorded (otherwise it is only streamed for live view). */
    boolean record() default true;

    /** Whether the camera is used at all. */
    boolean enabled() default true;

    /** RTSP lower transport: {@code tcp} or {@code udp}. */
    String transport() default "tcp";

    /** Seconds before the first reconnect attempt (at least 1). */
    int reconnectMinSeconds() default 1;

    /** Longest wait between reconnect attempts in seconds (at least the minimum). */
    int reconnectMaxSeconds() default 30;

    /** Seconds without frames after which the stream is considered lost. */
    int watchdogSeconds() default 5;

    /** Length of a recorded segment in seconds. */
    int segmentSeconds() default 60;
}
