package org.vigil.api.camera;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives decoded pictures from {@link LiveFeed} (and from playback). Calls come one at a time per subscription, on
 * a thread of the shared scheduler: return quickly (hand the frame to the display thread). When frames arrive faster
 * than they are consumed the older ones are dropped, so the newest frame always wins and nothing queues up.
 */
@ConsumerType
@FunctionalInterface
public interface FrameSink {
    /** A new picture; {@link VideoFrame#pixels()} may be kept, it is not reused. */
    void frame(VideoFrame frame);
}
