package org.vigil.playback.internal.media;

import org.vigil.media.Samples;

/**
 * The video samples of one recording file as playback reads them: the container parser's {@link Samples}
 * ({@code org.vigil.media}), read-only and safe to share between threads.
 */
public final class SampleTable {
    private final Samples samples;

    SampleTable(Samples samples) {
        this.samples = samples;
    }

    public int count() {
        return samples.count();
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    public long offset(int i) {
        return samples.offset(i);
    }

    public int size(int i) {
        return samples.size(i);
    }

    /** Presentation time from the first presented frame, ns. */
    public long pts(int i) {
        return samples.pts(i);
    }

    /** Decoding time on the same scale (may be negative for the first frames of a stream with B-frames). */
    public long dts(int i) {
        return samples.dts(i);
    }

    public long duration(int i) {
        return samples.duration(i);
    }

    public boolean keyframe(int i) {
        return samples.keyframe(i);
    }

    /** Sum of the sample sizes. */
    public long bytes() {
        return samples.bytes();
    }

    /** The end of the last presented frame, ns: the playable length of the file. */
    public long end() {
        return samples.end();
    }

    /** See {@link Samples#keyframeFor(long)}. */
    public int keyframeFor(long t) {
        return samples.keyframeFor(t);
    }

    /** See {@link Samples#sampleAt(long)}. */
    public int sampleAt(long t) {
        return samples.sampleAt(t);
    }

    /** The first keyframe at or after sample {@code from}, or -1. */
    public int nextKeyframe(int from) {
        return samples.nextKeyframe(from);
    }

    /** The presentation time of the next keyframe after sample {@code i}, or the end of the file. */
    public long nextKeyframePts(int i) {
        return samples.nextKeyframePts(i);
    }

    /** Number of keyframes. */
    public int keyframes() {
        return samples.keyframes();
    }
}
