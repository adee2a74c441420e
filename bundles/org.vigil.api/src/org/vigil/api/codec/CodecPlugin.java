package org.vigil.api.codec;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.vigil.api.camera.Codec;

/**
 * A codec plugin: how one RTP encoding is depayloaded, parsed and stored without decoding, and decoded for viewing.
 * Plugins are whiteboard services with the service property {@value #PROPERTY} = {@link Codec#id()}; the recorder
 * picks one by the camera's codec setting or, with {@code auto}, by the stream's RTP encoding name.
 */
@ConsumerType
public interface CodecPlugin {
    /** Service property naming the codec, such as {@code codec=h264}. */
    String PROPERTY = "codec";

    Codec codec();

    /** RTP {@code encoding-name} of streams this plugin handles ({@code H264}, {@code H265}, {@code JPEG}). */
    String rtpEncodingName();

    /** Name shown to users ("H.264"). */
    String displayName();

    /** GStreamer factory of the RTP depayloader ({@code rtph264depay}). */
    String depayloader();

    /** GStreamer factory of the parser placed after the depayloader, when the codec needs one ({@code h264parse}). */
    Optional<String> parser();

    /** GStreamer factory of the decoder used only by live view and playback ({@code avdec_h264}). */
    String decoder();

    /** The container segments are written in. */
    Container container();

    /** Every GStreamer element this plugin uses, for the availability check at start. */
    default List<String> elements() {
        return parser().isPresent()
                ? List.of(depayloader(), parser().get(), decoder(), container().muxer(), container().demuxer())
                : List.of(depayloader(), decoder(), container().muxer(), container().demuxer());
    }
}
