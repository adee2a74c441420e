package org.vigil.codec.h265.internal;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.BasicCodecPlugin;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.codec.Container;

/** H.265 (HEVC): depayloaded and parsed, stored in MP4 (hvc1) without decoding. */
@Component(service = CodecPlugin.class, property = CodecPlugin.PROPERTY + "=h265")
public final class H265Plugin extends BasicCodecPlugin {
    public H265Plugin() {
        super(Codec.H265, "H265", "H.265", "rtph265depay", "h265parse", "avdec_h265", Container.MP4);
    }
}
