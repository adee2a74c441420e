package org.vigil.codec.h264.internal;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.BasicCodecPlugin;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.codec.Container;

/** H.264 (AVC): depayloaded and parsed into access units, stored in fragmented MP4 without decoding. */
@Component(service = CodecPlugin.class, property = CodecPlugin.PROPERTY + "=h264")
public final class H264Plugin extends BasicCodecPlugin {
    public H264Plugin() {
        super(Codec.H264, "H264", "H.264", "rtph264depay", "h264parse", "avdec_h264", Container.MP4);
    }
}
