package org.vigil.playback.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.playback.internal.media.DamagedRecordingException;
import org.vigil.playback.internal.media.RecordingFile;
import org.vigil.playback.internal.media.SampleTable;
import org.vigil.playback.internal.media.TrackInfo;

/**
 * Feeds one camera's recordings into a pipeline's {@code appsrc} as one continuous stream of encoded frames: file
 * after file, each frame timestamped with its wall-clock time (minus the session's origin), so that a boundary between
 * segments is just the next frame. The next file is opened and indexed ahead on the scheduler, so crossing into it
 * costs nothing on the streaming thread.
 * <p>
 * Gaps are not bridged here: the frames after a gap simply carry later timestamps and the sink waits for them; the
 * listener hears about the gap when the last frame before it has been handed over, so that the session can jump or
 * stop. Damaged, missing or cut-short files are reported and left out. At the end of the recordings it sends
 * end-of-stream.
 * <p>
 * Threads: {@link #feed} runs on the appsrc streaming thread (or an export job's thread), {@link #seek} inside a
 * flushing seek while streaming is stopped, {@link #locate} on the session's executor. All state is guarded by this
 * object's lock, which is never held while a file is indexed for prefetching.
 */
final class Feeder implements AutoCloseable {
    /** A stop in recording up to this long is played through (the picture holds), longer ones are gaps. */
    static final long GAP_NANOS = 1_000_000_000L;
    /** A segment that ends this much earlier than the catalog says is reported as cut short. */
    static final long CUT_NANOS = 500_000_000L;
    private static final long OVERLAP_NANOS = 50_000_000L;
    private static final int WINDOW = 64;
    private static final int OPEN_FILES = 4;
    private static final Logger LOG = System.getLogger(Feeder.class.getName());

    /** What the feeder tells its session (from the streaming thread: return quickly). */
    interface Listener {
        /**
         * The last frame before a stretch without recording has been handed over: nothing from {@code from} until
         * {@code until} (empty: the end of the recordings).
         */
        void gap(Instant from, Optional<Instant> until);

        /** A recording was left out or ended early. */
        void note(PlaybackEvent.Kind kind, Instant time, String message);

        /**
         * The recording at {@code at} needs another decoder (the camera's encoding changed); the stream ended after a
         * last frame ending at {@code from}.
         */
        void formatChange(Instant from, Instant at);
    }

    /** Where a time lies on the camera's timeline. */
    record Location(Optional<SegmentRef> part, long frameStartNanos, boolean inGap, Optional<TrackInfo> track) {
        static Location end(long at) {
            return new Location(Optional.empty(), at, true, Optional.empty());
        }
    }

    enum Fed {
        PUSHED, ENDED, FLUSHING
    }

    private final String cameraId;
    private final Recordings recordings;
    private final long originNanos;
    private final Listener listener;
    private final Scheduler scheduler;
    private final ZoneId zone;
    private final List<SegmentRef> window = new ArrayList<>();
    private final Map<Long, RecordingFile> open = new LinkedHashMap<>(8, 0.75f, true);

    private SegmentRef part;
    private RecordingFile file;
    private int sample;
    /** wall-clock start of the current part, ns since the epoch */
    private long partStart;
    private long lastEndWall = Long.MIN_VALUE;
    private long lastDts = Long.MIN_VALUE;
    private boolean discont = true;
    private boolean ended;
    private boolean keyframesOnly;
    private long stopWall = Long.MAX_VALUE;
    private TrackInfo format;
    private boolean closed;
    private boolean compressGaps;
    private long shift;
    private long firstWall = Long.MIN_VALUE;
    private long pushed;
    private long bytes;
    private int partsUsed;

    Feeder(String cameraId, Recordings recordings, Instant origin, Listener listener, Scheduler scheduler) {
        this.cameraId = cameraId;
        this.recordings = recordings;
        this.originNanos = Times.nanos(origin);
        this.listener = listener;
        this.scheduler = scheduler;
        this.zone = recordings.zone();
    }

    String cameraId() {
        return cameraId;
    }

    long originNanos() {
        return originNanos;
    }

    /** The format of the frames fed so far (the caps the pipeline was built for). */
    synchronized void format(TrackInfo track) {
        this.format = track;
    }

    synchronized void keyframesOnly(boolean only) {
        this.keyframesOnly = only;
    }

    /** Frames at or after {@code wall} are not fed: the stream ends there (export, snapshot). */
    synchronized void stopAt(Instant wall) {
        this.stopWall = Times.nanos(wall);
    }

    /** Leaves the stretches without recording out of the stream (a clip): later frames follow at once. */
    synchronized void compressGaps(boolean compress) {
        this.compressGaps = compress;
    }

    /** The wall time of the first frame fed, if any. */
    synchronized Optional<Instant> firstFed() {
        return firstWall == Long.MIN_VALUE ? Optional.empty() : Optional.of(Times.instant(firstWall));
    }

    /** The wall time the last frame fed ends at, if any. */
    synchronized Optional<Instant> endFed() {
        return lastEndWall == Long.MIN_VALUE ? Optional.empty() : Optional.of(Times.instant(lastEndWall));
    }

    /** Recording-free time left out of the stream by {@link #compressGaps}, ns. */
    synchronized long gapsLeftOut() {
        return shift;
    }

    synchronized long pushed() {
        return pushed;
    }

    synchronized long bytesPushed() {
        return bytes;
    }

    synchronized int partsUsed() {
        return partsUsed;
    }

    /**
     * Where {@code t} lies: the recording that was being made then and the start of the frame on screen at {@code t},
     * or, in a gap, the next recording and its start. Damaged files are left out (and reported).
     */
    synchronized Location locate(Instant t) {
        long at = Times.nanos(t);
        SegmentRef ref = firstEndingAfter(t);
        while (ref != null) {
            RecordingFile f = openFile(ref, true);
            if (f != null) {
                long base = ref.startNanos();
                SampleTable s = f.samples();
                if (at < base) {
                    return new Location(Optional.of(ref), base + s.pts(s.keyframeFor(0)), true,
                            Optional.of(f.track()));
                }
                long fileEnd = base + s.end();
                if (at < fileEnd) {
                    int i = s.sampleAt(at - base);
                    return new Location(Optional.of(ref), base + s.pts(i), false, Optional.of(f.track()));
                }
                // t is in the part the file does not hold (cut short): the next recording
            }
            ref = after(ref);
        }
        return Location.end(at);
    }

    /**
     * Positions the stream so that the frame on screen at {@code wallNanos} is decoded (from its keyframe), or at the
     * next recording when nothing was recorded then. Runs inside a flushing seek.
     */
    synchronized void seek(long wallNanos) {
        ended = false;
        discont = true;
        lastEndWall = Long.MIN_VALUE;
        lastDts = Long.MIN_VALUE;
        Instant t = Times.instant(wallNanos);
        SegmentRef ref = firstEndingAfter(t);
        while (ref != null) {
            RecordingFile f = openFile(ref, true);
            if (f != null && !(wallNanos >= ref.startNanos() + f.samples().end())) {
                enter(ref, f);
                long rel = wallNanos - ref.startNanos();
                sample = rel <= 0 ? 0 : f.samples().keyframeFor(rel);
                return;
            }
            ref = after(ref);
        }
        leave();
        part = null;
        ended = true;
        lastEndWall = wallNanos;
    }

    /**
     * Hands the next frame to {@code src} (or end-of-stream at the end of the recordings or before a recording that
     * needs another decoder).
     */
    Fed feed(AppSrc src) {
        Buffer buffer;
        synchronized (this) {
            if (closed) {
                return Fed.FLUSHING;
            }
            if (ended) {
                src.endOfStream();
                return Fed.ENDED;
            }
            buffer = next(src);
            if (buffer == null) {
                ended = true;
                src.endOfStream();
                return Fed.ENDED;
            }
        }
        FlowReturn r = src.pushBuffer(buffer);
        return r == FlowReturn.OK ? Fed.PUSHED : Fed.FLUSHING;
    }

    /** The next frame as a buffer, moving to the next file as needed; null at the end. */
    private Buffer next(AppSrc src) {
        while (true) {
            if (part == null) {
                return null;
            }
            TrackInfo track = file.track();
            if (format != null && !track.sameFormat(format)) {
                if (track.codec() != format.codec()) {
                    Instant at = part.start();
                    leave();
                    part = null;
                    listener.formatChange(Times.instant(lastEndWall == Long.MIN_VALUE ? Times.nanos(at) : lastEndWall),
                            at);
                    return null;
                }
                // same encoding, new parameters (a resolution change): new caps, serialized before the next frame
                Caps caps = new Caps(track.caps());
                src.setCaps(caps);
                caps.dispose();
            }
            format = track;
            SampleTable s = file.samples();
            if (keyframesOnly) {
                while (sample < s.count() && !s.keyframe(sample)) {
                    sample++;
                }
            }
            if (sample >= s.count()) {
                finishPart();
                if (!advance()) {
                    return null;
                }
                continue;
            }
            int i = sample;
            long wall = partStart + s.pts(i);
            if (wall >= stopWall) {
                leave();
                part = null;
                return null;
            }
            long duration = keyframesOnly ? Math.max(s.duration(i), s.nextKeyframePts(i) - s.pts(i)) : s.duration(i);
            Buffer b = new Buffer(s.size(i));
            try {
                ByteBuffer data = b.map(true);
                try {
                    file.read(i, data);
                } finally {
                    b.unmap();
                }
            } catch (IOException | RuntimeException e) {
                b.close();
                readFailed(wall, e);
                if (!advance()) {
                    return null;
                }
                continue;
            }
            sample++;
            if (firstWall == Long.MIN_VALUE) {
                firstWall = wall;
            }
            long pts = wall - originNanos - shift;
            long dts = partStart + s.dts(i) - originNanos - shift;
            if (lastDts != Long.MIN_VALUE && dts <= lastDts) {
                dts = lastDts + 1;
            }
            lastDts = dts;
            b.setPresentationTimestamp(pts);
            b.setDecodeTimestamp(Math.max(0, dts));
            b.setDuration(duration);
            EnumSet<BufferFlags> flags = EnumSet.noneOf(BufferFlags.class);
            if (!s.keyframe(i)) {
                flags.add(BufferFlags.DELTA_UNIT);
            }
            if (discont) {
                flags.add(BufferFlags.DISCONT);
                discont = false;
            }
            if (!flags.isEmpty()) {
                b.setFlags(flags);
            }
            lastEndWall = Math.max(lastEndWall, wall + duration);
            pushed++;
            bytes += s.size(i);
            return b;
        }
    }

    /** Reports a file that ended before the catalog said it would. */
    private void finishPart() {
        long actualEnd = partStart + file.samples().end();
        if (part.endNanos() - actualEnd > CUT_NANOS) {
            String why = file.cutNote().orElse("the file holds less than was catalogued");
            listener.note(PlaybackEvent.Kind.SEGMENT_ENDS_EARLY, Times.instant(actualEnd), "The recording "
                    + part.name() + " ends at " + Times.clock(Times.instant(actualEnd), zone) + " instead of "
                    + Times.clock(part.end(), zone) + " (" + why + "); playback goes on with the next recording.");
        }
    }

    private void readFailed(long wall, Exception e) {
        String why = e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
        listener.note(PlaybackEvent.Kind.SEGMENT_ENDS_EARLY, Times.instant(wall), "The recording " + part.name()
                + " could not be read after " + Times.clock(Times.instant(wall), zone) + " (" + why
                + "); playback goes on with the next recording.");
    }

    /** Moves to the recording after the current one; false at the end (or before a format change). */
    private boolean advance() {
        SegmentRef previous = part;
        long previousEnd = lastEndWall;
        leave();
        SegmentRef ref = after(previous);
        RecordingFile f = null;
        while (ref != null) {
            f = openFile(ref, true);
            if (f != null) {
                break;
            }
            ref = after(ref);
        }
        if (ref == null) {
            part = null;
            listener.gap(Times.instant(previousEnd == Long.MIN_VALUE ? previous.endNanos() : previousEnd),
                    Optional.empty());
            return false;
        }
        enter(ref, f);
        sample = 0;
        if (previousEnd != Long.MIN_VALUE) {
            long gap = ref.startNanos() - previousEnd;
            if (gap > GAP_NANOS) {
                listener.gap(Times.instant(previousEnd), Optional.of(ref.start()));
                if (compressGaps) {
                    shift += gap;
                }
            } else if (gap < -OVERLAP_NANOS) {
                // overlapping recordings (a clock step): go on at the first keyframe after what was shown
                SampleTable s = f.samples();
                int k = s.nextKeyframe(s.sampleAt(previousEnd - ref.startNanos()) + 1);
                sample = k < 0 ? s.count() : k;
            }
        }
        discont = true;
        return true;
    }

    private void enter(SegmentRef ref, RecordingFile f) {
        if (part != null && part.id() != ref.id()) {
            leave();
        }
        part = ref;
        file = f;
        partStart = ref.startNanos();
        partsUsed++;
        prefetchAfter(ref);
    }

    /** Closes the current file: it is not needed again unless the user seeks back. */
    private void leave() {
        if (part != null) {
            RecordingFile f = open.remove(part.id());
            if (f != null) {
                f.close();
            }
        }
        file = null;
    }

    // ------------------------------------------------------------------ the window of catalogued recordings

    /** The first recording that ends after {@code t} (loading the window from the catalog as needed). */
    private SegmentRef firstEndingAfter(Instant t) {
        if (!window.isEmpty() && !t.isBefore(window.get(0).start())) {
            for (SegmentRef r : window) {
                if (r.end().isAfter(t)) {
                    return r;
                }
            }
            // past the window: reload below (also finds recordings added since)
        }
        window.clear();
        window.addAll(query(t));
        return window.isEmpty() ? null : window.get(0);
    }

    /** The recording after {@code ref}, extending the window when it runs out. */
    private SegmentRef after(SegmentRef ref) {
        for (int i = 0; i < window.size(); i++) {
            if (window.get(i).id() == ref.id()) {
                if (i + 1 < window.size()) {
                    return window.get(i + 1);
                }
                break;
            }
        }
        List<SegmentRef> more = query(ref.end().minusMillis(1));
        for (SegmentRef r : more) {
            if (r.id() != ref.id() && !r.start().isBefore(ref.start())) {
                window.clear();
                window.addAll(more);
                return r;
            }
        }
        return null;
    }

    private List<SegmentRef> query(Instant from) {
        try {
            return recordings.from(cameraId, from, WINDOW);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Camera {0}: the recordings catalog could not be read: {1}", cameraId,
                    e.toString());
            return List.of();
        }
    }

    // ------------------------------------------------------------------ open files

    /** The indexed file of {@code ref}, or null when it cannot be played (reported when {@code report}). */
    private RecordingFile openFile(SegmentRef ref, boolean report) {
        RecordingFile f = open.get(ref.id());
        if (f != null) {
            return f;
        }
        try {
            f = RecordingFile.open(ref.path());
        } catch (NoSuchFileException e) {
            if (report) {
                listener.note(PlaybackEvent.Kind.SEGMENT_SKIPPED, ref.start(), "The recording " + ref.name()
                        + " is no longer on disk (deleted); it is left out.");
            }
            return null;
        } catch (DamagedRecordingException e) {
            if (report) {
                listener.note(PlaybackEvent.Kind.SEGMENT_SKIPPED, ref.start(), "The recording " + ref.name()
                        + " cannot be played: " + e.getMessage() + "; it is left out.");
            }
            return null;
        } catch (IOException e) {
            if (report) {
                listener.note(PlaybackEvent.Kind.SEGMENT_SKIPPED, ref.start(), "The recording " + ref.name()
                        + " cannot be read (" + e.getMessage() + "); it is left out.");
            }
            return null;
        }
        remember(ref, f);
        return f;
    }

    private void remember(SegmentRef ref, RecordingFile f) {
        open.put(ref.id(), f);
        Iterator<Map.Entry<Long, RecordingFile>> it = open.entrySet().iterator();
        while (open.size() > OPEN_FILES && it.hasNext()) {
            Map.Entry<Long, RecordingFile> e = it.next();
            if (part == null || e.getKey() != part.id()) {
                e.getValue().close();
                it.remove();
            }
        }
    }

    /** Opens and indexes the recording after {@code ref} on the scheduler, outside the lock. */
    private void prefetchAfter(SegmentRef ref) {
        SegmentRef next = null;
        for (int i = 0; i < window.size() - 1; i++) {
            if (window.get(i).id() == ref.id()) {
                next = window.get(i + 1);
                break;
            }
        }
        if (next == null || open.containsKey(next.id()) || scheduler == null) {
            return;
        }
        SegmentRef target = next;
        try {
            scheduler.execute("playback " + cameraId + " prefetch", () -> {
                RecordingFile f;
                try {
                    f = RecordingFile.open(target.path());
                } catch (IOException e) {
                    return; // reported when playback gets there
                }
                synchronized (this) {
                    if (closed || open.containsKey(target.id())) {
                        f.close();
                    } else {
                        remember(target, f);
                    }
                }
            });
        } catch (RuntimeException e) {
            // the scheduler is stopping: the file is opened when needed
        }
    }

    /** Closes every open file; feeding ends. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (RecordingFile f : open.values()) {
            f.close();
        }
        open.clear();
        file = null;
        part = null;
    }
}
