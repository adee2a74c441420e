package org.vigil.storage.internal.probe;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.vigil.media.DamagedMediaException;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;

/**
 * Reads a recording's headers for the catalog (MP4 or Matroska) through the one container parser
 * ({@code org.vigil.media}), never decoding: the same reading playback does, so a file the catalog calls playable is
 * one playback plays, for as long as the catalog says.
 */
public final class MediaProbe {
    private MediaProbe() {
    }

    /**
     * What the headers of the file open on {@code channel} say; an unplayable file is a result with the parser's
     * sentence, not an exception.
     *
     * @throws IOException when the file cannot be read
     */
    public static ProbeResult probe(FileChannel channel) throws IOException {
        try {
            MediaIndex ix = MediaParser.probe(channel);
            return new ProbeResult(true, ix.finalized(), ix.truncated(), ix.container(), ix.track().codec(),
                    ix.duration(), ix.samples().count(), ix.creationTime(), "");
        } catch (DamagedMediaException e) {
            return ProbeResult.unplayable(e.container(), e.getMessage());
        }
    }
}
