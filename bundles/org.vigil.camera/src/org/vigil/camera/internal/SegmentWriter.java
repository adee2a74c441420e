package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.GhostPad;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadLinkException;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.glib.Natives;
import org.vigil.api.codec.Container;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.gst.ManagedPipeline;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * Cuts the recorded stream into segment files, inside the pipeline, without decoding and without look-ahead: a
 * probe on the recording queue's output sees every frame as it leaves the queue; at the first keyframe at or after
 * the segment length (or local midnight, a clock jump, a change of picture format) it links the queue to a new
 * muxer and file and sends end-of-stream to the old ones, so the keyframe and every frame after it go to the new
 * file and no frame is lost or doubled. Each file is a fragmented MP4 (a fragment every {@code fragmentMillis}) or
 * Matroska written without buffering, so a crash loses at most the last fragment.
 * <p>
 * {@code splitmuxsink} is not used because it holds back a whole GOP before muxing (to decide where to split),
 * which adds a GOP to what a crash loses (measured: up to 2.9 s with a 2 s GOP).
 * <p>
 * Audio (AAC) follows the video: its own probe moves it to the new file at the first audio buffer at or after the
 * video's cut, or after {@link #AUDIO_SWITCH_WAIT} when the audio stalls.
 * <p>
 * Threads: {@link #onVideo} runs on the recording queue's streaming thread, {@link #onAudio} on the audio queue's,
 * {@code finish} on the scheduler. Closing ({@link #close()}) happens after the pipeline reached NULL.
 */
final class SegmentWriter implements Registration {
    static final Duration AUDIO_SWITCH_WAIT = Duration.ofSeconds(2);
    /** A keyframe less than half a frame before the segment length counts as reaching it (timestamps jitter). */
    static final long MAX_SPLIT_TOLERANCE_NANOS = 100_000_000L;
    static final String DISCARD = "/dev/null";
    private static final Logger LOG = System.getLogger(SegmentWriter.class.getName());
    private static final FileAttribute<Set<PosixFilePermission>> SEGMENT_MODE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-r-----"));

    /** Where segments go. */
    interface Target {
        /** The path of a new segment starting at {@code start}; throws when recording must pause. */
        Path reserve(Instant start, Container container) throws StorageUnavailableException;
    }

    /** What the writer reports (from scheduler threads, or the streaming thread for a refusal). */
    interface Events {
        void segmentFinished(FinishedSegment segment);

        void storageRefused(String reason);

        /** A segment file was opened for writing (streaming thread): the recording really reaches the disk. */
        default void fileOpened(Path path) {
        }
    }

    /**
     * A segment file the writer is done with.
     *
     * @param complete whether the muxer finished the file (end-of-stream reached it); false when the pipeline was
     *                 stopped first: the file then ends with its last complete fragment
     * @param discarded written to nowhere because the storage refused it: nothing to announce
     */
    record FinishedSegment(Path path, Instant start, Instant end, long frames, boolean complete, boolean discarded) {
    }

    /** Wall-clock time of running time {@code rt}: {@code wall + (rt - runningTime)}. */
    record Anchor(Instant wall, long runningTime) {
        Instant at(long rt) {
            return wall.plusNanos(rt - runningTime);
        }
    }

    private final String name;
    private final ManagedPipeline pipeline;
    private final Pointer pipelinePointer;
    private final Pad queueSource;
    private volatile Container container = Container.MP4;
    private final int fragmentMillis;
    private final Supplier<Duration> segmentLength;
    private final Target target;
    private final Events events;
    private final Scheduler scheduler;
    private final ZoneId zone;
    private final Clock clock;
    private final PadProbe videoProbe;

    // video streaming thread only
    private Pointer videoSegment;
    private Pointer latestCaps;
    private long lastPts = GstNative.CLOCK_TIME_NONE;
    private long lastDuration = GstNative.CLOCK_TIME_NONE;
    private long frameNanos = 40_000_000L;
    private volatile Open current;
    private int index;

    // audio
    private final Object lock = new Object();
    private boolean audioExpected;
    private Pad audioSource;
    private PadProbe audioProbe;
    private Pointer audioSegment;
    private Open audioCurrent;
    private final Deque<AudioSwitch> switches = new ArrayDeque<>();
    private final List<Open> open = new ArrayList<>();
    private final List<PadProbe> idleProbes = new ArrayList<>();
    private boolean closed;

    private volatile Anchor anchor;
    private volatile boolean splitRequested;
    private volatile String splitReason = "";

    private record AudioSwitch(long runningTime, Open from, Open to) {
    }

    /**
     * Keeps a stream's timestamps as MP4 needs them (a PTS on every buffer, DTS never decreasing, never after the
     * PTS): RTP timing at the start of a connection can jitter a frame backwards, which makes mp4mux fail with
     * "Could not multiplex stream". Only buffers that need it are touched.
     */
    static final class TimestampGuard {
        private long lastDts = GstNative.CLOCK_TIME_NONE;
        private long lastPts = GstNative.CLOCK_TIME_NONE;
        private long step = 40_000_000L;
        private long fixed;

        /** Returns the (possibly replaced) buffer of the probe. */
        Pointer apply(Pointer info, Pointer buffer) {
            long pts = GstNative.pts(buffer);
            long dts = GstNative.dts(buffer);
            long p = pts;
            long d = dts;
            if (p == GstNative.CLOCK_TIME_NONE) {
                p = d != GstNative.CLOCK_TIME_NONE ? d
                        : lastPts == GstNative.CLOCK_TIME_NONE ? 0 : lastPts + step;
            }
            if (d == GstNative.CLOCK_TIME_NONE || d > p) {
                d = p;
            }
            if (lastDts != GstNative.CLOCK_TIME_NONE && d <= lastDts) {
                d = lastDts + 1000;
            }
            if (p < d) {
                p = d;
            }
            if (lastPts != GstNative.CLOCK_TIME_NONE && p > lastPts && p - lastPts < 1_000_000_000L) {
                step = p - lastPts;
            }
            lastDts = d;
            lastPts = Math.max(p, lastPts == GstNative.CLOCK_TIME_NONE ? p : lastPts);
            if (p != pts || (dts != GstNative.CLOCK_TIME_NONE && d != dts)) {
                fixed++;
                return GstNative.setTimestamps(info, buffer, p, dts == GstNative.CLOCK_TIME_NONE && d == p ? dts : d);
            }
            return buffer;
        }

        long fixed() {
            return fixed;
        }
    }

    private final TimestampGuard videoTimes = new TimestampGuard();
    private final TimestampGuard audioTimes = new TimestampGuard();

    /** One file being written: its bin ({@code mux ! filesink}) and what is known about it. */
    private final class Open {
        final Path path;
        final String binName;
        final boolean discarded;
        final Instant start;
        final long startRt;
        final Instant nextMidnight;
        final Pointer caps;
        final Bin bin;
        final Pad video;
        final Pad audio;
        final Pad sinkPad;
        final List<NativeObject> proxies = new ArrayList<>();
        PadProbe eosProbe;
        volatile long frames;
        volatile long endRt = -1;
        volatile boolean finished;
        /** Its file could not be opened or written: it will never finish, nobody waits for it. */
        volatile boolean failed;
        boolean audioEnded;

        Open(int number, Path path, boolean discarded, Instant start, long startRt, Pointer caps, boolean withAudio) {
            this.path = path;
            this.discarded = discarded;
            this.start = start;
            this.startRt = startRt;
            this.nextMidnight = start.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            this.caps = caps == null ? null : GstNative.gst_mini_object_ref(caps);
            String prefix = "seg-" + number;
            this.binName = prefix;
            String muxer = container == Container.MP4
                    ? container.muxer() + " name=" + prefix + "-mux fragment-duration=" + fragmentMillis
                    : container.muxer() + " name=" + prefix + "-mux";
            bin = keep(Gst.parseBinFromDescription(muxer + " ! filesink name=" + prefix
                    + "-sink buffer-mode=unbuffered sync=false async=false", false));
            bin.setName(prefix);
            Element mux = keep(bin.getElementByName(prefix + "-mux"));
            Element sink = keep(bin.getElementByName(prefix + "-sink"));
            sink.set("location", path.toString());
            Pad muxVideo = keep(mux.getRequestPad("video_%u"));
            video = keep(new GhostPad("video", muxVideo));
            bin.addPad(video);
            if (withAudio) {
                Pad muxAudio = keep(mux.getRequestPad("audio_%u"));
                audio = keep(new GhostPad("audio", muxAudio));
                bin.addPad(audio);
            } else {
                audio = null;
            }
            sinkPad = keep(sink.getStaticPad("sink"));
            eosProbe = PadProbe.add(sinkPad, GstNative.PROBE_EVENT_DOWNSTREAM, (pad, info, data) -> {
                Pointer ev = GstNative.gst_pad_probe_info_get_event(info);
                if (ev != null && GstNative.eventType(ev) == GstNative.EVENT_EOS) {
                    finishLater(this);
                }
                return GstNative.PROBE_OK;
            });
        }

        private <T extends NativeObject> T keep(T proxy) {
            proxies.add(proxy);
            return proxy;
        }

        Instant end() {
            long e = endRt;
            return e < 0 ? start : start.plusNanos(Math.max(0, e - startRt));
        }

        FinishedSegment report(boolean complete) {
            return new FinishedSegment(path, start, end(), frames, complete, discarded);
        }

        /** Releases the native side: probe, caps reference, proxies. The bin must be in NULL. */
        void dispose() {
            if (eosProbe != null) {
                eosProbe.close();
            }
            if (caps != null) {
                GstNative.gst_mini_object_unref(caps);
            }
            for (int i = proxies.size() - 1; i >= 0; i--) {
                try {
                    proxies.get(i).dispose();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "{0}: disposing a segment proxy failed: {1}", name, e.toString());
                }
            }
            proxies.clear();
        }
    }

    SegmentWriter(String name, ManagedPipeline pipeline, Pad queueSource, int fragmentMillis,
            Supplier<Duration> segmentLength, Target target, Events events, Scheduler scheduler, Clock clock) {
        this.name = name;
        this.pipeline = pipeline;
        this.pipelinePointer = Natives.getRawPointer(pipeline.pipeline());
        this.queueSource = queueSource;
        this.fragmentMillis = fragmentMillis;
        this.segmentLength = segmentLength;
        this.target = target;
        this.events = events;
        this.scheduler = scheduler;
        this.zone = clock.getZone();
        this.clock = clock;
        this.videoProbe = PadProbe.add(queueSource, GstNative.PROBE_BUFFER | GstNative.PROBE_EVENT_DOWNSTREAM,
                (pad, info, data) -> onVideo(info));
    }

    /** The file format of new segments, from the codec plugin (set before the first frame). */
    void useContainer(Container c) {
        container = c;
    }

    /**
     * Audio (AAC) will come: new files get an audio track from now on, fed once {@link #addAudio} links the audio.
     */
    void expectAudio() {
        synchronized (lock) {
            audioExpected = true;
        }
    }

    /** Records the audio leaving {@code audioQueueSource} (AAC) too. Call before any audio flows. */
    void addAudio(Pad audioQueueSource) {
        synchronized (lock) {
            if (closed || audioSource != null) {
                return;
            }
            audioExpected = true;
            audioSource = audioQueueSource;
            Open cur = audioCurrent;
            if (cur != null && cur.audio != null && !cur.finished) {
                try {
                    audioSource.link(cur.audio); // nothing flows yet: safe from this thread
                } catch (PadLinkException e) {
                    LOG.log(Level.WARNING, "{0}: cannot link the audio: {1}", name, e.toString());
                    audioCurrent = null;
                }
            }
            audioProbe = PadProbe.add(audioQueueSource, GstNative.PROBE_BUFFER | GstNative.PROBE_EVENT_DOWNSTREAM,
                    (pad, info, data) -> onAudio(info));
        }
    }

    /** Cuts the segment at the next keyframe (midnight or a clock jump seen by the caller). */
    void requestSplit(String reason) {
        splitReason = reason;
        splitRequested = true;
    }

    /** Whether a file is open. */
    boolean writing() {
        return current != null;
    }

    /** The segments whose file is not finished yet. */
    int unfinished() {
        synchronized (lock) {
            return open.size();
        }
    }

    /**
     * The file of the segment bin {@code binName} ({@code seg-N}) could not be opened or written: it will never
     * finish, so a stop does not wait for it (its end-of-stream can never reach the file).
     */
    void fileFailed(String binName) {
        synchronized (lock) {
            for (Open o : open) {
                if (o.binName.equals(binName) && !o.failed) {
                    o.failed = true;
                    // a bin whose sink cannot open its file stays in READY; when the pipeline goes down to NULL it
                    // would ask it for PAUSED first, which opens the file again, fails, and fails the whole
                    // pipeline's change to NULL (which then kept the camera's connection open): keep the
                    // pipeline's state changes away from it; releaseFailed() stops it by itself
                    try {
                        o.bin.setLockedState(true);
                    } catch (RuntimeException e) {
                        LOG.log(Level.DEBUG, "{0}: locking the state of {1} failed: {2}", name, binName, e.toString());
                    }
                }
            }
            lock.notifyAll();
        }
    }

    /**
     * Stops the bins of failed files and takes them out of the pipeline, so that the pipeline can reach NULL. Call
     * from a scheduler thread (the one stopping the session), never from a streaming thread.
     */
    void releaseFailed() {
        List<Open> failed = new ArrayList<>();
        synchronized (lock) {
            for (Open o : open) {
                if (o.failed && !o.finished) {
                    failed.add(o);
                }
            }
        }
        for (Open o : failed) {
            try {
                if (current == o) {
                    queueSource.unlink(o.video);
                }
                o.bin.setState(State.NULL);
                pipeline.pipeline().remove(o.bin);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "{0}: removing the failed segment {1} failed: {2}", name, o.binName,
                        e.toString());
            }
        }
    }

    /** Whether a file is open that can still be finished. */
    private boolean waitingForAFile() {
        for (Open o : open) {
            if (!o.failed) {
                return true;
            }
        }
        return false;
    }

    /** Waits at most {@code wait} until every segment file is finished (or failed); true when they are. */
    boolean awaitFinished(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (waitingForAFile()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    /**
     * Sends end-of-stream straight into every open file (video and audio), for a stop where the normal way (EOS
     * through the pipeline) did not finish them.
     */
    void forceEndOfStream() {
        List<Open> all;
        synchronized (lock) {
            all = new ArrayList<>(open);
        }
        for (Open o : all) {
            sendEos(o.video);
            if (o.audio != null) {
                sendEos(o.audio);
            }
        }
    }

    /**
     * Compares the wall clock with the pipeline clock (monotonic); when they disagree by more than {@code limit}
     * the wall clock was set: new segments are named by the new time, starting with a cut at the next keyframe.
     *
     * @return how far the wall clock moved, zero when it did not
     */
    Duration checkWallClock(Duration limit) {
        Anchor a = anchor;
        if (a == null) {
            return Duration.ZERO;
        }
        long nowRt = GstNative.runningTimeNow(pipelinePointer);
        if (nowRt < 0) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        Duration drift = Duration.between(a.at(nowRt), now);
        if (drift.abs().compareTo(limit) > 0) {
            anchor = new Anchor(now, nowRt);
            requestSplit("the wall clock moved by " + drift.toMillis() + " ms");
            return drift;
        }
        return Duration.ZERO;
    }

    // ---- video streaming thread ----

    private int onVideo(Pointer info) {
        int type = GstNative.probeType(info);
        if ((type & GstNative.PROBE_BUFFER) != 0) {
            Pointer buffer = GstNative.gst_pad_probe_info_get_buffer(info);
            if (buffer == null) {
                return GstNative.PROBE_OK;
            }
            boolean key = GstNative.isKeyframe(buffer);
            Open cur = current;
            if (cur == null && (!key || closed)) {
                return GstNative.PROBE_DROP; // a file starts with a keyframe
            }
            buffer = videoTimes.apply(info, buffer);
            long pts = GstNative.pts(buffer);
            if (cur == null) {
                long rt = runningTime(videoSegment, pts);
                cur = start(rt, null);
                if (cur == null) {
                    return GstNative.PROBE_DROP;
                }
            } else if (key) {
                long rt = runningTime(videoSegment, pts);
                String why = splitReason(cur, rt);
                if (why != null) {
                    cur = start(rt, cur);
                    if (cur == null) {
                        return GstNative.PROBE_DROP;
                    }
                    if (LOG.isLoggable(Level.DEBUG)) {
                        LOG.log(Level.DEBUG, "{0}: new segment {1} ({2}).", name, cur.path, why);
                    }
                }
            }
            cur.frames = cur.frames + 1;
            long d = GstNative.duration(buffer);
            if (d != GstNative.CLOCK_TIME_NONE && d > 0) {
                lastDuration = d;
                frameNanos = Math.min(d, 1_000_000_000L);
            } else if (lastPts != GstNative.CLOCK_TIME_NONE && pts != GstNative.CLOCK_TIME_NONE && pts > lastPts
                    && pts - lastPts < 1_000_000_000L) {
                frameNanos = pts - lastPts;
            }
            if (pts != GstNative.CLOCK_TIME_NONE) {
                lastPts = pts;
            }
            return GstNative.PROBE_OK;
        }
        Pointer event = GstNative.gst_pad_probe_info_get_event(info);
        if (event == null) {
            return GstNative.PROBE_OK;
        }
        int et = GstNative.eventType(event);
        if (et == GstNative.EVENT_SEGMENT) {
            videoSegment = copySegment(event, videoSegment);
        } else if (et == GstNative.EVENT_CAPS) {
            PointerByReference caps = new PointerByReference();
            GstNative.gst_event_parse_caps(event, caps);
            Pointer c = caps.getValue();
            Open cur = current;
            if (cur != null && cur.caps != null && c != null && !GstNative.gst_caps_is_equal(cur.caps, c)) {
                // a new picture format must not reach the open file (MP4 keeps one set of parameters): close it
                // before the event passes; the next keyframe opens a file with the new format
                LOG.log(Level.INFO, "{0}: the camera changed its picture ({1}); starting a new segment.", name,
                        describe(c));
                cur.endRt = endOfLastFrame();
                closeVideo(cur);
                queueAudioSwitch(new AudioSwitch(Long.MIN_VALUE, cur, null));
                current = null;
            }
            if (latestCaps != null) {
                GstNative.gst_mini_object_unref(latestCaps);
            }
            latestCaps = c == null ? null : GstNative.gst_mini_object_ref(c);
        } else if (et == GstNative.EVENT_EOS) {
            Open cur = current;
            if (cur != null) {
                cur.endRt = endOfLastFrame();
                synchronized (lock) {
                    if (audioSource == null) {
                        applySwitches(Long.MAX_VALUE);
                        endAudio(cur); // no audio will ever reach it
                    }
                }
            }
        }
        return GstNative.PROBE_OK;
    }

    private String splitReason(Open cur, long rt) {
        if (splitRequested) {
            splitRequested = false;
            return splitReason;
        }
        long tolerance = Math.min(MAX_SPLIT_TOLERANCE_NANOS, frameNanos / 2);
        if (rt - cur.startRt >= segmentLength.get().toNanos() - tolerance) {
            return "segment length";
        }
        Anchor a = anchor;
        if (a != null && !a.at(rt).isBefore(cur.nextMidnight)) {
            return "midnight";
        }
        return null;
    }

    /**
     * Creates the segment file readable by its owner and group only (0640): filesink would create it 0666 less the
     * umask, for every local user to watch. When it cannot be created here, filesink fails on it the same way and
     * the pipeline reports that.
     */
    private static void createOwnerAndGroupOnly(Path path) {
        try {
            Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), SEGMENT_MODE)
                    .close();
        } catch (IOException | UnsupportedOperationException e) {
            // reported by filesink when it opens the file
        }
    }

    /** Opens the file of the segment starting with the keyframe at {@code rt}; closes {@code previous}. */
    private Open start(long rt, Open previous) {
        Anchor a = anchor;
        if (a == null) {
            long nowRt = GstNative.runningTimeNow(pipelinePointer);
            a = new Anchor(clock.instant(), nowRt < 0 ? rt : nowRt);
            anchor = a;
        }
        Instant start = a.at(rt);
        Path path;
        boolean discarded = false;
        try {
            path = target.reserve(start, container);
            createOwnerAndGroupOnly(path);
        } catch (StorageUnavailableException | RuntimeException e) {
            // the muxer needs somewhere to write until the supervisor stops this pipeline
            path = Path.of(DISCARD);
            discarded = true;
            events.storageRefused(e.getMessage() == null ? "The recordings storage refused a new segment."
                    : e.getMessage());
        }
        Open next;
        boolean withAudio;
        synchronized (lock) {
            if (closed) {
                return null;
            }
            withAudio = audioExpected;
        }
        next = null;
        try {
            next = new Open(index++, path, discarded, start, rt, latestCaps, withAudio);
            // each file's running time starts at its first frame: mp4mux writes its random-access index (tfra)
            // and fragment duration (mehd) in running time while the samples start at zero, and players that
            // trust the index (qtdemux) could not seek in a file whose running time starts minutes in
            GstNative.gst_pad_set_offset(Natives.getRawPointer(next.video), -rt);
            if (next.audio != null) {
                GstNative.gst_pad_set_offset(Natives.getRawPointer(next.audio), -rt);
            }
            synchronized (lock) {
                open.add(next); // before its state changes: a file that cannot be opened is reported meanwhile
            }
            Bin bin = pipeline.pipeline();
            bin.add(next.bin);
            if (next.bin.syncStateWithParent() && !discarded) {
                events.fileOpened(path); // filesink opens its file on the way to PAUSED, synchronously
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "{0}: cannot open a segment file: {1}", name, e.toString());
            if (next != null) {
                synchronized (lock) {
                    open.remove(next);
                    lock.notifyAll();
                }
            }
            events.storageRefused("A new segment file could not be opened: " + e.getMessage());
            return null;
        }
        if (previous != null) {
            previous.endRt = rt;
            queueSource.unlink(previous.video);
        }
        try {
            queueSource.link(next.video);
        } catch (PadLinkException e) {
            LOG.log(Level.WARNING, "{0}: cannot link the new segment: {1}", name, e.toString());
        }
        if (previous != null) {
            sendEos(previous.video);
        }
        current = next;
        queueAudioSwitch(new AudioSwitch(rt, previous, next));
        return next;
    }

    private void closeVideo(Open cur) {
        queueSource.unlink(cur.video);
        sendEos(cur.video);
    }

    private long endOfLastFrame() {
        if (lastPts == GstNative.CLOCK_TIME_NONE) {
            return -1;
        }
        long d = lastDuration != GstNative.CLOCK_TIME_NONE ? lastDuration : frameNanos;
        return runningTime(videoSegment, lastPts) + d;
    }

    // ---- audio ----

    private void queueAudioSwitch(AudioSwitch s) {
        boolean schedule;
        synchronized (lock) {
            if (!audioExpected) {
                return; // files have no audio track
            }
            switches.add(s);
            schedule = switches.size() == 1;
        }
        if (schedule) {
            try {
                scheduler.schedule(name + " audio switch", this::switchStalledAudio, AUDIO_SWITCH_WAIT);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "{0}: cannot schedule the audio switch check: {1}", name, e.toString());
            }
        }
    }

    private int onAudio(Pointer info) {
        int type = GstNative.probeType(info);
        if ((type & GstNative.PROBE_BUFFER) != 0) {
            Pointer buffer = GstNative.gst_pad_probe_info_get_buffer(info);
            long rt = buffer == null ? Long.MAX_VALUE : runningTime(audioSegment, GstNative.pts(buffer));
            synchronized (lock) {
                applySwitches(rt);
                if (audioCurrent == null || closed || buffer == null) {
                    return GstNative.PROBE_DROP;
                }
                audioTimes.apply(info, buffer);
                return GstNative.PROBE_OK;
            }
        }
        Pointer event = GstNative.gst_pad_probe_info_get_event(info);
        if (event != null) {
            int et = GstNative.eventType(event);
            if (et == GstNative.EVENT_SEGMENT) {
                synchronized (lock) {
                    audioSegment = copySegment(event, audioSegment);
                }
            } else if (et == GstNative.EVENT_EOS) {
                synchronized (lock) {
                    applySwitches(Long.MAX_VALUE);
                    Open cur = current;
                    if (cur != null && audioCurrent != cur) {
                        endAudio(cur);
                    }
                    if (audioCurrent != null) {
                        audioCurrent.audioEnded = true; // the end-of-stream passing now reaches it
                    }
                }
            }
        }
        return GstNative.PROBE_OK;
    }

    /**
     * Applies the queued switches due at {@code rt}: the audio leaves its file (which gets end-of-stream on its
     * audio track) and goes to the next one. Before the audio is linked ({@link #addAudio}) the switches only
     * move which file it will go to. Holds {@link #lock}.
     */
    private void applySwitches(long rt) {
        while (!switches.isEmpty() && switches.peek().runningTime() <= rt) {
            AudioSwitch s = switches.poll();
            Open from = audioCurrent;
            if (from != null) {
                if (audioSource != null) {
                    audioSource.unlink(from.audio);
                }
                endAudio(from);
            }
            if (s.from() != null && s.from() != from) {
                endAudio(s.from()); // its audio track was never fed
            }
            audioCurrent = null;
            Open to = s.to();
            if (to != null && to.audio != null && !to.finished) {
                if (audioSource == null) {
                    audioCurrent = to;
                } else {
                    try {
                        audioSource.link(to.audio);
                        audioCurrent = to;
                    } catch (PadLinkException e) {
                        LOG.log(Level.WARNING, "{0}: cannot link the audio to the new segment: {1}", name,
                                e.toString());
                    }
                }
            }
        }
    }

    private void endAudio(Open o) {
        if (o.audio != null && !o.audioEnded) {
            o.audioEnded = true;
            sendEos(o.audio);
        }
    }

    /** The audio stopped arriving: apply pending switches when its pad is idle, so the old file can finish. */
    private void switchStalledAudio() {
        Pad source;
        synchronized (lock) {
            if (closed || switches.isEmpty()) {
                return;
            }
            source = audioSource;
            if (source == null) {
                applySwitches(Long.MAX_VALUE); // no audio ever came: nothing can race with us
                return;
            }
        }
        PadProbe[] holder = new PadProbe[1];
        holder[0] = PadProbe.add(source, GstNative.PROBE_IDLE, (pad, info, data) -> {
            synchronized (lock) {
                if (!closed) {
                    applySwitches(Long.MAX_VALUE);
                }
            }
            PadProbe p = holder[0];
            if (p != null) {
                p.removedByCallback();
            }
            return GstNative.PROBE_REMOVE;
        });
        synchronized (lock) {
            idleProbes.add(holder[0]);
        }
    }

    // ---- finishing files ----

    private void finishLater(Open o) {
        try {
            scheduler.execute(name + " segment done", () -> finish(o));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "{0}: cannot schedule the segment's end: {1}", name, e.toString());
        }
    }

    private void finish(Open o) {
        synchronized (lock) {
            if (closed || o.finished) {
                return;
            }
            o.finished = true;
            if (audioCurrent == o) {
                audioCurrent = null; // keep the audio from being linked to a finished file
            }
        }
        try {
            o.bin.setState(State.NULL);
            pipeline.pipeline().remove(o.bin);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "{0}: removing a finished segment failed: {1}", name, e.toString());
        }
        o.dispose();
        synchronized (lock) {
            open.remove(o);
            lock.notifyAll();
        }
        events.segmentFinished(o.report(true));
    }

    /**
     * Releases everything after the pipeline reached NULL: probes, native segments and caps, the proxies of open
     * files (reported as not complete). Idempotent.
     */
    @Override
    public void close() {
        List<Open> left;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayList<>(open);
            open.clear();
            lock.notifyAll();
            switches.clear();
            for (PadProbe p : idleProbes) {
                p.close();
            }
            idleProbes.clear();
            if (audioProbe != null) {
                audioProbe.close();
            }
            if (audioSegment != null) {
                GstNative.gst_segment_free(audioSegment);
                audioSegment = null;
            }
        }
        videoProbe.close();
        if (videoSegment != null) {
            GstNative.gst_segment_free(videoSegment);
            videoSegment = null;
        }
        if (latestCaps != null) {
            GstNative.gst_mini_object_unref(latestCaps);
            latestCaps = null;
        }
        current = null;
        for (Open o : left) {
            if (o.finished) {
                continue;
            }
            o.finished = true;
            if (o.endRt < 0) {
                o.endRt = endOfLastFrame();
            }
            o.dispose();
            events.segmentFinished(o.report(false));
        }
    }

    // ---- helpers ----

    private static long runningTime(Pointer segment, long pts) {
        if (pts == GstNative.CLOCK_TIME_NONE) {
            return 0;
        }
        if (segment == null) {
            return pts;
        }
        long rt = GstNative.gst_segment_to_running_time(segment, GstNative.FORMAT_TIME, pts);
        return rt == GstNative.CLOCK_TIME_NONE ? pts : rt;
    }

    private static Pointer copySegment(Pointer event, Pointer previous) {
        PointerByReference seg = new PointerByReference();
        GstNative.gst_event_parse_segment(event, seg);
        Pointer s = seg.getValue();
        if (s == null) {
            return previous;
        }
        if (previous != null) {
            GstNative.gst_segment_free(previous);
        }
        return GstNative.gst_segment_copy(s);
    }

    private static void sendEos(Pad pad) {
        GstNative.gst_pad_send_event(Natives.getRawPointer(pad), GstNative.gst_event_new_eos());
    }

    private static String describe(Pointer caps) {
        int w = GstNative.capsInt(caps, "width");
        int h = GstNative.capsInt(caps, "height");
        return w > 0 && h > 0 ? w + "x" + h : "new parameters";
    }
}
