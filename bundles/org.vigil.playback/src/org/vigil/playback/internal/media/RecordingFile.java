package org.vigil.playback.internal.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One recording file opened for playback or export: the video track and its sample table, read once from the
 * container, and the open channel the frames are read from. Reading a frame is one positional read straight into the
 * caller's buffer. A file unlinked while open stays readable to the end (it is the same file); a file cut shorter
 * while open makes {@link #read} throw, which ends that part.
 */
public final class RecordingFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final Indexed indexed;

    private RecordingFile(Path path, FileChannel channel, Indexed indexed) {
        this.path = path;
        this.channel = channel;
        this.indexed = indexed;
    }

    /**
     * Opens and indexes {@code path}.
     *
     * @throws DamagedRecordingException when the file cannot be played at all (the message says why)
     * @throws IOException when it cannot be read (missing, no permission)
     */
    public static RecordingFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            Indexed ix;
            try {
                ix = isMatroska(ch) ? MatroskaReader.read(ch, size) : Mp4Reader.read(ch, size);
            } catch (EOFException e) {
                throw new DamagedRecordingException("its structure is damaged (" + e.getMessage() + ")");
            } catch (RuntimeException e) {
                // a malformed box or element read out of bounds
                throw new DamagedRecordingException("its structure is damaged (" + e.getClass().getSimpleName() + ")");
            }
            return new RecordingFile(path, ch, ix);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static boolean isMatroska(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4);
        ch.read(b, 0);
        return b.position() == 4 && b.getInt(0) == 0x1A45DFA3;
    }

    public Path path() {
        return path;
    }

    public TrackInfo track() {
        return indexed.track();
    }

    public SampleTable samples() {
        return indexed.samples();
    }

    /** Why the file ends early, when it does. */
    public Optional<String> cutNote() {
        return indexed.cutNote();
    }

    /**
     * Reads sample {@code i} into {@code dst} (from its position; it must have room for {@link SampleTable#size}).
     *
     * @throws IOException when the file no longer holds the sample (cut while open) or cannot be read
     */
    public void read(int i, ByteBuffer dst) throws IOException {
        SampleTable s = indexed.samples();
        long pos = s.offset(i);
        int size = s.size(i);
        if (dst.remaining() < size) {
            throw new IllegalArgumentException("a buffer of " + dst.remaining() + " bytes cannot hold a frame of "
                    + size);
        }
        int start = dst.position();
        ByteBuffer view = dst.duplicate();
        view.limit(start + size);
        while (view.hasRemaining()) {
            int r = channel.read(view, pos + view.position() - start);
            if (r < 0) {
                throw new EOFException("the file " + path.getFileName() + " ended inside a frame");
            }
        }
        dst.position(start + size);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the descriptor is gone either way
        }
    }
}
