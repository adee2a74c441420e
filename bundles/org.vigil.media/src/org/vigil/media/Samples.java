package org.vigil.media;

import java.util.Arrays;

/**
 * The video samples of one recording file in decoding order: where each frame's bytes are, its timestamps in
 * nanoseconds from the first presented frame, and whether it is a keyframe. Built once per file by
 * {@link MediaParser}, then read-only (safe to share between threads after construction).
 */
public final class Samples {
    private final boolean listed;
    private long[] offset;
    private int[] size;
    private long[] pts;
    private long[] dts;
    private long[] duration;
    private boolean[] key;
    private int count;
    private long bytes;
    private int keyframes;
    private long minPts = Long.MAX_VALUE;
    private long maxPts = Long.MIN_VALUE;

    /**
     * @param listed keep every sample (playback); false only counts them (the storage's probe: count, bytes,
     *               keyframes, first and last time), which saves building the table
     */
    Samples(boolean listed) {
        this.listed = listed;
        int n = listed ? 256 : 0;
        offset = new long[n];
        size = new int[n];
        pts = new long[n];
        dts = new long[n];
        duration = new long[n];
        key = new boolean[n];
    }

    /**
     * Whether every sample is kept: only then do {@link #offset}, {@link #size}, {@link #pts}, {@link #dts},
     * {@link #duration}, {@link #keyframe} and the lookups answer ({@link MediaParser#parse}); a probe's samples
     * ({@link MediaParser#probe}) are only counted.
     */
    public boolean listed() {
        return listed;
    }

    /**
     * Makes room for {@code n} samples in all, as a header announces them (saves growing the table step by step); at
     * most 65,536 at once, since a damaged header may announce any number.
     */
    void reserve(int n) {
        if (listed && n > offset.length) {
            grow(Math.min(Math.max(n, offset.length * 2), Math.max(offset.length, 1 << 16)));
        }
    }

    private void grow(int n) {
        offset = Arrays.copyOf(offset, n);
        size = Arrays.copyOf(size, n);
        pts = Arrays.copyOf(pts, n);
        dts = Arrays.copyOf(dts, n);
        duration = Arrays.copyOf(duration, n);
        key = Arrays.copyOf(key, n);
    }

    void add(long fileOffset, int bytesOfSample, long ptsNanos, long dtsNanos, long durationNanos, boolean keyframe) {
        if (listed) {
            if (count == offset.length) {
                grow(Math.max(16, count * 2));
            }
            offset[count] = fileOffset;
            size[count] = bytesOfSample;
            pts[count] = ptsNanos;
            dts[count] = dtsNanos;
            duration[count] = durationNanos;
            key[count] = keyframe;
        }
        count++;
        bytes += bytesOfSample;
        if (keyframe) {
            keyframes++;
        }
        minPts = Math.min(minPts, ptsNanos);
        maxPts = Math.max(maxPts, ptsNanos);
    }

    /** Shifts every timestamp so that the earliest presented frame is at 0. */
    void normalise() {
        if (count == 0) {
            return;
        }
        long min = minPts;
        for (int i = 0; i < (listed ? count : 0); i++) {
            pts[i] -= min;
            dts[i] -= min;
        }
        minPts = 0;
        maxPts -= min;
    }

    /** The latest presentation time of any sample, ns (from the first presented frame once built). */
    long lastPts() {
        return count == 0 ? 0 : maxPts;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public long offset(int i) {
        return offset[i];
    }

    public int size(int i) {
        return size[i];
    }

    /** Presentation time from the first presented frame, ns. */
    public long pts(int i) {
        return pts[i];
    }

    /** Decoding time on the same scale (may be negative for the first frames of a stream with B-frames). */
    public long dts(int i) {
        return dts[i];
    }

    public long duration(int i) {
        return duration[i];
    }

    public boolean keyframe(int i) {
        return key[i];
    }

    /** Sum of the sample sizes. */
    public long bytes() {
        return bytes;
    }

    /** The end of the last presented frame, ns: the playable length of the file. */
    public long end() {
        long end = 0;
        for (int i = Math.max(0, count - 8); i < count; i++) {
            end = Math.max(end, pts[i] + duration[i]);
        }
        return end;
    }

    /**
     * The keyframe to start decoding at so that the frame presented at {@code t} (ns) can be shown: the last keyframe
     * at or before the first sample whose presentation covers {@code t}. 0 when {@code t} is before the first frame.
     */
    public int keyframeFor(long t) {
        int at = sampleAt(t);
        for (int i = at; i >= 0; i--) {
            if (key[i]) {
                return i;
            }
        }
        return 0;
    }

    /**
     * The sample (in decoding order) presented at {@code t}: the last one whose presentation time is at or before
     * {@code t}, scanning a window wide enough for reordered frames. 0 when {@code t} is before every frame; the last
     * sample when {@code t} is after the end.
     */
    public int sampleAt(long t) {
        if (count == 0) {
            return 0;
        }
        // decoding order is nearly presentation order: binary search on dts, then look around for the best pts
        int lo = 0;
        int hi = count - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (dts[mid] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int best = -1;
        long bestPts = Long.MIN_VALUE;
        for (int i = Math.max(0, lo - 8); i < Math.min(count, lo + 9); i++) {
            if (pts[i] <= t && pts[i] > bestPts) {
                best = i;
                bestPts = pts[i];
            }
        }
        return best < 0 ? 0 : best;
    }

    /** The first keyframe at or after sample {@code from}, or -1. */
    public int nextKeyframe(int from) {
        for (int i = Math.max(0, from); i < count; i++) {
            if (key[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The presentation time of the next keyframe after sample {@code i}, or the end of the file. */
    public long nextKeyframePts(int i) {
        int n = nextKeyframe(i + 1);
        return n < 0 ? end() : pts[n];
    }

    /** Number of keyframes. */
    public int keyframes() {
        return keyframes;
    }
}
