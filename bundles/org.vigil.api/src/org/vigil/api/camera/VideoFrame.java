package org.vigil.api.camera;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * One decoded picture in BGRx (4 bytes a pixel: blue, green, red, unused), rows of {@code stride} bytes.
 *
 * @param cameraId the camera it comes from
 * @param pixels   read-only, positioned at the first pixel, {@code stride * height} bytes
 * @param time     when the picture was taken (live: when it arrived; playback: the recorded time)
 */
public record VideoFrame(String cameraId, int width, int height, int stride, ByteBuffer pixels, Instant time) {
    /** The pixel format: GStreamer's {@code BGRx}. */
    public static final String FORMAT = "BGRx";

    public VideoFrame {
        Objects.requireNonNull(cameraId, "cameraId");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(time, "time");
        if (width <= 0 || height <= 0 || stride < width * 4) {
            throw new IllegalArgumentException("A frame of " + width + "x" + height + " needs a stride of at least "
                    + width * 4 + " bytes, not " + stride + ".");
        }
        if (pixels.remaining() < (long) stride * height) {
            throw new IllegalArgumentException("A frame of " + width + "x" + height + " needs " + (long) stride * height
                    + " bytes of pixels, not " + pixels.remaining() + ".");
        }
    }
}
