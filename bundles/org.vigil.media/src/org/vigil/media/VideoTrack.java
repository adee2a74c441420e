package org.vigil.media;

import java.util.Arrays;
import java.util.Objects;

import org.vigil.api.camera.Codec;

/**
 * The video track of a recording: its encoding, the container's name for its format ({@code avc1}, {@code hev1},
 * {@code jpeg}, {@code V_MJPEG}, {@code V_MS/VFW/FOURCC} ...), the decoder configuration the container carries
 * ({@code avcC}/{@code hvcC} or Matroska's CodecPrivate; empty for MJPEG) and the picture size (0 when not given).
 */
public record VideoTrack(Codec codec, String sampleEntry, byte[] codecData, int width, int height) {

    public VideoTrack {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(sampleEntry, "sampleEntry");
        codecData = codecData == null ? new byte[0] : codecData.clone();
    }

    @Override
    public byte[] codecData() {
        return codecData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoTrack t && codec == t.codec && sampleEntry.equals(t.sampleEntry)
                && Arrays.equals(codecData, t.codecData) && width == t.width && height == t.height;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codec, sampleEntry, Arrays.hashCode(codecData), width, height);
    }

    @Override
    public String toString() {
        return codec.id() + " " + width + "x" + height + " (" + sampleEntry + ")";
    }
}
