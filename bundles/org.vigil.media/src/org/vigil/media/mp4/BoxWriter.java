package org.vigil.media.mp4;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growing big-endian byte array for writing ISO BMFF boxes: open a box, write its fields, close it. */
final class BoxWriter {
    private byte[] buf;
    private int len;
    private int[] open = new int[16];
    private int depth;

    BoxWriter(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }
    }

    /** Starts a box of {@code type}; its size is written by {@link #close()}. */
    BoxWriter box(String type) {
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = len;
        u32(0);
        fourcc(type);
        return this;
    }

    /** Starts a full box: type, then version and 24 bits of flags. */
    BoxWriter full(String type, int version, int flags) {
        box(type);
        return u32(version << 24 | flags & 0xFFFFFF);
    }

    BoxWriter close() {
        int start = open[--depth];
        int size = len - start;
        buf[start] = (byte) (size >>> 24);
        buf[start + 1] = (byte) (size >>> 16);
        buf[start + 2] = (byte) (size >>> 8);
        buf[start + 3] = (byte) size;
        return this;
    }

    BoxWriter u8(int v) {
        room(1);
        buf[len++] = (byte) v;
        return this;
    }

    BoxWriter u16(int v) {
        room(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    BoxWriter u32(long v) {
        room(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    BoxWriter u64(long v) {
        return u32(v >>> 32).u32(v & 0xFFFFFFFFL);
    }

    BoxWriter zeros(int n) {
        room(n);
        len += n; // the array is zero where nothing was written yet
        return this;
    }

    BoxWriter bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    BoxWriter fourcc(String type) {
        return bytes(type.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The unity transformation matrix of {@code mvhd} and {@code tkhd}. */
    BoxWriter matrix() {
        return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    int length() {
        return len;
    }

    byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " boxes left open");
        }
        return Arrays.copyOf(buf, len);
    }
}
