package org.vigil.api.camera;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * Decoded live pictures of a camera, at the size a view needs. Decoding happens only while someone subscribes: the
 * first subscription of a camera attaches a decode branch (on the camera's sub-stream when it has one), the last one
 * to close detaches it. Recording is never disturbed by either.
 */
@ProviderType
public interface LiveFeed {
    /**
     * Delivers the pictures of {@code cameraId}, scaled to {@code width} x {@code height} (the picture keeps its
     * aspect ratio, with black borders where needed), in BGRx. Frames flow while the camera is connected; a
     * subscription made while the camera is offline, disabled or not configured yet receives frames as soon as it
     * runs. Closing the handle ends the subscription; closing it twice is harmless.
     *
     * @throws IllegalArgumentException when the camera id or the size is not valid (2 to 8192 pixels each way)
     */
    Registration subscribe(String cameraId, int width, int height, FrameSink sink);
}
