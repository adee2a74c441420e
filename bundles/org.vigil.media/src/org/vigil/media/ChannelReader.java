package org.vigil.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Positional reads through a small window, so that walking box or element headers costs about one read each. */
final class ChannelReader {
    private static final int WINDOW = 4 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.BIG_ENDIAN);
    private long windowStart = -1;
    private int windowLength;
    private int reads;

    ChannelReader(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
    }

    long size() {
        return size;
    }

    int reads() {
        return reads;
    }

    /** Up to {@code n} bytes at {@code pos} (fewer at the end of the file), as a buffer positioned at 0. */
    ByteBuffer at(long pos, int n) throws IOException {
        if (pos < 0 || pos >= size) {
            throw new EOFException("the file ends at byte " + size + ", before byte " + pos + " its headers point to");
        }
        int want = (int) Math.min(n, size - pos);
        if (want <= WINDOW) {
            if (windowStart < 0 || pos < windowStart || pos + want > windowStart + windowLength) {
                fill(pos);
            }
            ByteBuffer view = window.duplicate().order(ByteOrder.BIG_ENDIAN);
            view.position((int) (pos - windowStart));
            view.limit((int) (pos - windowStart) + want);
            return view.slice().order(ByteOrder.BIG_ENDIAN);
        }
        ByteBuffer big = ByteBuffer.allocate(want).order(ByteOrder.BIG_ENDIAN);
        readFully(big, pos);
        big.flip();
        return big;
    }

    private void fill(long pos) throws IOException {
        window.clear();
        int want = (int) Math.min(WINDOW, size - pos);
        window.limit(want);
        readFully(window, pos);
        windowStart = pos;
        windowLength = want;
    }

    private void readFully(ByteBuffer buf, long pos) throws IOException {
        long p = pos;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, p);
            if (n < 0) {
                throw new EOFException("the file ended at byte " + p + " while it was being read (it was cut shorter meanwhile)");
            }
            p += n;
        }
        reads++;
    }
}
