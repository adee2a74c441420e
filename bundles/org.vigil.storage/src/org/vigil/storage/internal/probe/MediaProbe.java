package org.vigil.storage.internal.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import org.vigil.api.codec.Container;

/** Recognises a recording by its first bytes and reads its headers (MP4 or Matroska); never decodes. */
public final class MediaProbe {
    private MediaProbe() {
    }

    public static ProbeResult probe(FileChannel channel) throws IOException {
        ChannelReader in = new ChannelReader(channel);
        if (in.size() < 8) {
            return ProbeResult.unplayable(Container.MP4, "the file is empty or only a few bytes long");
        }
        ByteBuffer head = in.at(0, 8);
        boolean matroska = head.getInt(0) == MatroskaProbe.EBML;
        try {
            return matroska ? MatroskaProbe.probe(in) : Mp4Probe.probe(in);
        } catch (IOException | RuntimeException e) {
            return ProbeResult.unplayable(matroska ? Container.MATROSKA : Container.MP4,
                    "its headers are damaged (" + e.getMessage() + ")");
        }
    }
}
