package org.vigil.media.tests;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Finds and edits boxes in an MP4 file's bytes, to make the damage a test needs (independent of the parser). */
final class Boxes {
    private Boxes() {
    }

    /** The position of the {@code nth} (0-based) top-level box of {@code type}, or -1. */
    static int topLevel(byte[] file, String type, int nth) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int seen = 0;
        for (int p = 0; p + 8 <= file.length;) {
            long size = b.getInt(p) & 0xFFFFFFFFL;
            if (type(b, p).equals(type) && seen++ == nth) {
                return p;
            }
            if (size < 8) {
                return -1;
            }
            p += (int) size;
        }
        return -1;
    }

    /** The position of the first box of {@code type} directly inside the box at {@code parent}, or -1. */
    static int child(byte[] file, int parent, String type) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int end = parent + b.getInt(parent);
        for (int p = parent + 8; p + 8 <= end;) {
            if (type(b, p).equals(type)) {
                return p;
            }
            p += b.getInt(p);
        }
        return -1;
    }

    static int size(byte[] file, int box) {
        return ByteBuffer.wrap(file).getInt(box);
    }

    static void putInt(byte[] file, int pos, int value) {
        ByteBuffer.wrap(file).putInt(pos, value);
    }

    /**
     * A copy of a fragmented file whose first fragment header ({@code moof}) is {@code extra} bytes larger: a
     * {@code free} box appended inside it, the trun's data offset moved on by as much, so the file stays valid.
     * Expects what mp4mux writes: sample data addressed from the moof (no absolute base offset in tfhd).
     */
    static byte[] inflateFirstFragment(byte[] file, int extra) {
        int moof = topLevel(file, "moof", 0);
        int moofSize = size(file, moof);
        byte[] out = new byte[file.length + extra];
        System.arraycopy(file, 0, out, 0, moof + moofSize);
        ByteBuffer free = ByteBuffer.wrap(out, moof + moofSize, extra);
        free.putInt(extra).put("free".getBytes(StandardCharsets.ISO_8859_1));
        System.arraycopy(file, moof + moofSize, out, moof + moofSize + extra, file.length - moof - moofSize);
        putInt(out, moof, moofSize + extra);
        int traf = child(out, moof, "traf");
        int tfhd = child(out, traf, "tfhd");
        if ((ByteBuffer.wrap(out).getInt(tfhd + 8) & 0x1) != 0) {
            throw new IllegalStateException("the fragment gives an absolute base offset: not what mp4mux writes");
        }
        int trun = child(out, traf, "trun");
        ByteBuffer b = ByteBuffer.wrap(out);
        if ((b.getInt(trun + 8) & 0x1) == 0) {
            throw new IllegalStateException("the fragment's trun has no data offset: not what mp4mux writes");
        }
        b.putInt(trun + 16, b.getInt(trun + 16) + extra);
        return out;
    }

    private static String type(ByteBuffer b, int p) {
        byte[] t = new byte[4];
        b.get(p + 4, t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }
}
