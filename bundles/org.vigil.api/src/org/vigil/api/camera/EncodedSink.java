package org.vigil.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a camera's encoded video from {@link LiveFeed#tapEncoded}. Calls come one at a time from one of
 * GStreamer's streaming threads (the tap's own, behind a leaky queue, never the recording's): return at once, never
 * block. When the receiver is slower than the camera, whole frames are dropped before they reach it.
 *
 * @since 1.4
 */
@ConsumerType
public interface EncodedSink {
    /**
     * A run of the stream begins (the first connection, a reconnect, a change of the camera's format): the
     * GStreamer caps of the frames that follow, such as
     * {@code video/x-h264, stream-format=avc, alignment=au, codec_data=..., width=1920, height=1080}. The first
     * frame after it is a keyframe; timestamps of a new run start afresh.
     */
    void format(String caps);

    /** The next frame of the current run. */
    void frame(EncodedFrame frame);
}
