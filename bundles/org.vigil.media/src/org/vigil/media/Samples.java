package org.vigil.media;

import java.util.Arrays;

/**
 * The video samples of one recording file in decoding order: where each frame's bytes are, its timestamps in
 * nanoseconds from the first presented frame, and whether it is a keyframe. Built once per file by
 * {@link MediaParser}, then read-only (safe to share between threads after construction).
 */
public final class Samples {
    private long[] offset = new long[256];
    private int[] size = new int[256];
    private long[] pts = new long[256];
    private long[] dts = new long[256];
    private long[] duration = new long[256];
    private boolean[] key = new boolean[256];
    private int count;
    private long bytes;

    void add(long fileOffset, int bytesOfSample, long ptsNanos, long dtsNanos, long durationNanos, boolean keyframe) {
        if (count == offset.length) {
            int n = count * 2;
            offset = Arrays.copyOf(offset, n);
            size = Arrays.copyOf(size, n);
            pts = Arrays.copyOf(pts, n);
            dts = Arrays.copyOf(dts, n);
            duration = Arrays.copyOf(duration, n);
            key = Arrays.copyOf(key, n);
        }
        offset[count] = fileOffset;
        size[count] = bytesOfSample;
        pts[count] = ptsNanos;
        dts[count] = dtsNanos;
        duration[count] = durationNanos;
        key[count] = keyframe;
        count++;
        bytes += bytesOfSample;
    }

    /** Shifts every timestamp so that the earliest presented frame is at 0. */
    void normalise() {
        if (count == 0) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, pts[i]);
        }
        for (int i = 0; i < count; i++) {
            pts[i] -= min;
            dts[i] -= min;
        }
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
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (key[i]) {
                n++;
            }
        }
        return n;
    }
}
