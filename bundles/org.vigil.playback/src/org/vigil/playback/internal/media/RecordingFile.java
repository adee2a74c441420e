package org.vigil.playback.internal.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.vigil.media.DamagedMediaException;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;

/**
 * One recording file opened for playback or export: the video track and its sample table, read once from the
 * container by the one container parser ({@code org.vigil.media}), and the open channel the frames are read from. Reading a frame is one positional read straight into the
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
            MediaIndex ix;
            try {
                ix = MediaParser.parse(ch);
            } catch (DamagedMediaException e) {
                throw new DamagedRecordingException(e.getMessage());
            }
            return new RecordingFile(path, ch, new Indexed(TrackInfo.of(ix.track()), new SampleTable(ix.samples()),
                    ix.cutNote()));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
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
