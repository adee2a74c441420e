package org.vigil.codec.mjpeg.internal;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.BasicCodecPlugin;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.codec.Container;

/** Motion JPEG: MP4 muxers do not take MJPEG, so its segments are Matroska (.mkv). */
@Component(service = CodecPlugin.class, property = CodecPlugin.PROPERTY + "=mjpeg")
public final class MjpegPlugin extends BasicCodecPlugin {
    public MjpegPlugin() {
        super(Codec.MJPEG, "JPEG", "Motion JPEG", "rtpjpegdepay", "jpegparse", "jpegdec", Container.MATROSKA);
    }
}
