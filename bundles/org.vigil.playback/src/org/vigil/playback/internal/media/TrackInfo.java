package org.vigil.playback.internal.media;

import java.util.HexFormat;
import java.util.Objects;

import org.vigil.api.camera.Codec;
import org.vigil.media.VideoTrack;

/**
 * The video track of a recording file: its encoding, the decoder configuration from the container ({@code avcC},
 * {@code hvcC}; none for MJPEG) and the picture size.
 *
 * @param sampleEntry the container's name for the format ({@code avc1}, {@code hev1}, {@code V_MJPEG} ...)
 */
public record TrackInfo(Codec codec, String sampleEntry, byte[] codecData, int width, int height) {

    public TrackInfo {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sampleEntry, "sampleEntry");
        codecData = codecData == null ? new byte[0] : codecData.clone();
    }

    /** The playback view of the container parser's video track. */
    static TrackInfo of(VideoTrack t) {
        return new TrackInfo(t.codec(), t.sampleEntry(), t.codecData(), t.width(), t.height());
    }

    @Override
    public byte[] codecData() {
        return codecData.clone();
    }

    /** GStreamer caps of the encoded frames as a reader delivers them (one access unit per buffer). */
    public String caps() {
        StringBuilder c = new StringBuilder();
        switch (codec) {
            case H264 -> c.append("video/x-h264,alignment=(string)au,stream-format=(string)")
                    .append(sampleEntry.equals("avc3") ? "avc3" : "avc");
            case H265 -> c.append("video/x-h265,alignment=(string)au,stream-format=(string)")
                    .append(sampleEntry.equals("hev1") ? "hev1" : "hvc1");
            case MJPEG -> c.append("image/jpeg");
            default -> throw new IllegalStateException("no caps for " + codec);
        }
        if (width > 0 && height > 0) {
            c.append(",width=(int)").append(width).append(",height=(int)").append(height);
        }
        if (codecData.length > 0 && codec != Codec.MJPEG) {
            c.append(",codec_data=(buffer)").append(HexFormat.of().formatHex(codecData));
        }
        return c.toString();
    }

    /** Whether frames of {@code other} can follow frames of this track in the same decoder. */
    public boolean sameFormat(TrackInfo other) {
        return other != null && codec == other.codec && caps().equals(other.caps());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackInfo t && codec == t.codec && sampleEntry.equals(t.sampleEntry)
                && java.util.Arrays.equals(codecData, t.codecData) && width == t.width && height == t.height;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, sampleEntry, java.util.Arrays.hashCode(codecData), width, height);
    }

    @Override
    public String toString() {
        return codec.id() + " " + width + "x" + height + " (" + sampleEntry + ")";
    }
}
