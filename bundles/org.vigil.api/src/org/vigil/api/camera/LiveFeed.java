package org.vigil.api.camera;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * Decoded live pictures of a camera, at the size a view needs. Decoding happens only while someone subscribes: the
 * first subscription of a camera and stream attaches a decode branch, the last one to close detaches it. Recording is
 * never disturbed by either.
 */
@ProviderType
public interface LiveFeed {
    /** Which of a camera's streams a subscription decodes. */
    enum Stream {
        /**
         * The sub-stream when the camera has one (a small, cheap picture for a grid tile), else the main stream. The
         * sub-stream gets its own connection while someone watches it.
         */
        PREVIEW,
        /** The main stream, the one recorded, always (one camera full size); decoded from the recording connection. */
        MAIN
    }

    /**
     * Delivers the pictures of {@code cameraId} from {@code stream}, scaled to {@code width} x {@code height} (the
     * picture keeps its aspect ratio, with black borders where needed), in BGRx. Frames flow while the camera is
     * connected; a subscription made while the camera is offline, disabled or not configured yet receives frames as
     * soon as it runs. Closing the handle ends the subscription; closing it twice is harmless.
     *
     * @throws IllegalArgumentException when the camera id or the size is not valid (2 to 8192 pixels each way)
     */
    Registration subscribe(String cameraId, int width, int height, Stream stream, FrameSink sink);

    /** {@link #subscribe(String, int, int, Stream, FrameSink)} of the {@link Stream#PREVIEW} stream. */
    default Registration subscribe(String cameraId, int width, int height, FrameSink sink) {
        return subscribe(cameraId, width, height, Stream.PREVIEW, sink);
    }
}
