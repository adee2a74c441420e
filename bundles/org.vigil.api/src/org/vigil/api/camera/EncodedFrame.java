package org.vigil.api.camera;

/**
 * One encoded video frame of a camera as the recorder receives it (after the depayloader and parser: an access
 * unit of H.264 or H.265 in the format the caps of {@link EncodedSink#format(String)} name, or one JPEG), never
 * decoded.
 *
 * @param data        the frame's bytes; a new array for every frame, the receiver may keep it
 * @param ptsNanos    presentation time in nanoseconds on the stream's own clock, -1 when unknown
 * @param dtsNanos    decoding time in nanoseconds on the same clock, -1 when unknown
 * @param durationNanos the frame's duration, -1 when unknown
 * @param keyframe    whether a decoder can start at this frame
 * @since 1.4
 */
public record EncodedFrame(byte[] data, long ptsNanos, long dtsNanos, long durationNanos, boolean keyframe) {
}
