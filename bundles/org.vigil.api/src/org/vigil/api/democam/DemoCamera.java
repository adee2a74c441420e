package org.vigil.api.democam;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.camera.Codec;

/**
 * A real RTSP camera served on 127.0.0.1 by gst-rtsp-server, for the first start, demos and tests. The service
 * carries the URLs as properties too ({@code url.h264}, {@code url.h265}, {@code url.mjpeg}) so that the launcher
 * can print them without loading this class.
 */
@ProviderType
public interface DemoCamera {
    /** The TCP port the server listens on (127.0.0.1). */
    int port();

    /** The RTSP URL of the mount serving {@code codec} (H264, H265 or MJPEG). */
    String url(Codec codec);

    /** Every mount by codec. */
    Map<Codec, String> urls();
}
