package org.vigil.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;

import org.vigil.api.codec.Container;

/**
 * The one parser of the containers Vigil records into: recognises MP4 or Matroska by the first bytes and reads the
 * structure (never the frames themselves, never decoding). One set of limits and one set of sentences for the
 * storage's probe and for playback.
 * <p>
 * A file is <em>playable</em> when it has a video track Vigil can decode (H.264, H.265 with their decoder
 * configuration, MJPEG) and at least one complete frame. A file cut short by a crash or a full disk is playable up to
 * its last complete frame, with a {@link MediaIndex#cutNote() note} saying where it ends. Anything else is a
 * {@link DamagedMediaException} with one sentence (what is wrong and at which byte), never a Java exception's text.
 */
public final class MediaParser {
    /** The largest MP4 movie header ({@code moov}) read: a 24-hour plain file at 30 fps needs about 20 MiB. */
    public static final long MAX_MOVIE_HEADER = 64L << 20;
    /**
     * The largest MP4 fragment header ({@code moof}) read: the recorder's 1 s fragments need a few KiB; more than
     * this is a damaged file, not a recording.
     */
    public static final long MAX_FRAGMENT_HEADER = 16L << 20;
    /** The largest Matroska header element ({@code Info}, {@code Tracks}, a {@code BlockGroup}) read. */
    public static final long MAX_MATROSKA_HEADER = 16L << 20;
    /** The most samples one plain MP4 sample table may list (about 19 days at 30 fps). */
    public static final long MAX_SAMPLES = 50_000_000L;

    static final int EBML_MAGIC = 0x1A45DFA3;

    private MediaParser() {
    }

    /**
     * Reads the structure of the file open on {@code channel} and lists every complete frame (what playback needs).
     * Positional reads; the channel's position is not used.
     *
     * @throws DamagedMediaException when the file cannot be played (its message says why, in one sentence)
     * @throws IOException           when the file cannot be read
     */
    public static MediaIndex parse(FileChannel channel) throws IOException {
        return read(channel, true);
    }

    /**
     * The same reading as {@link #parse}, the same answer and sentences, but the frames are only counted, not listed
     * ({@link Samples#listed()} is false): what the storage needs to catalogue a file, without building its table.
     *
     * @throws DamagedMediaException when the file cannot be played (its message says why, in one sentence)
     * @throws IOException           when the file cannot be read
     */
    public static MediaIndex probe(FileChannel channel) throws IOException {
        return read(channel, false);
    }

    private static MediaIndex read(FileChannel channel, boolean listed) throws IOException {
        ChannelReader in = new ChannelReader(channel);
        long size = in.size();
        if (size < 8) {
            throw new DamagedMediaException(Container.MP4, size == 0 ? "the file is empty"
                    : "the file is only " + size + " bytes long: too short to be a recording");
        }
        boolean matroska = in.at(0, 4).getInt(0) == EBML_MAGIC;
        Samples samples = new Samples(listed);
        ContainerParser parser = matroska ? new MatroskaParser(in, samples) : new Mp4Parser(in, samples);
        try {
            return parser.run();
        } catch (DamagedMediaException e) {
            throw e;
        } catch (EOFException e) {
            throw new DamagedMediaException(parser.container(), e.getMessage());
        } catch (RuntimeException e) {
            // a box or element whose fields run past its own end: reading it went out of bounds
            throw new DamagedMediaException(parser.container(), parser.where()
                    + " is damaged: a field runs past the end of it");
        }
    }

    /** One sentence for a header above its limit. */
    static String tooLarge(String what, long pos, long size, long limit) {
        return "its " + what + " at byte " + pos + " is " + mib(size) + ", more than the " + mib(limit)
                + " such a header may have: the file is damaged or not a recording";
    }

    static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + " MiB"
                : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
