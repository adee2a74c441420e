package org.vigil.playback.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.freedesktop.gstreamer.Clock;
import org.vigil.api.camera.FrameMailbox;
import org.vigil.api.camera.FrameSink;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.api.playback.GapPolicy;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.PlaybackOptions;
import org.vigil.api.playback.PlaybackSession;
import org.vigil.api.playback.PlaybackState;
import org.vigil.api.playback.PlaybackStatus;
import org.vigil.api.playback.Snapshot;
import org.vigil.api.playback.TimeRange;
import org.vigil.gst.MissingElementException;
import org.vigil.gst.Teardown;

/**
 * A playback session: one {@link CameraPlayer} per camera, driven together on one serial executor.
 * <p>
 * <b>Time.</b> Every player renders against the same (system) clock with a base time the session chooses: frame
 * {@code W} of every camera is shown at clock time {@code anchorClock + (W - anchorWall) / speed}. Playing after a
 * seek picks a new anchor; resuming after a pause shifts the anchor by the time spent paused, so nothing is decoded
 * again. Cameras therefore stay in step without talking to each other, and a camera whose recording starts later
 * simply shows its first frame when its time comes.
 * <p>
 * <b>Gaps.</b> Each camera's feeder reports the stretches without recording as it reaches them; when every camera
 * of the session is in one, the session jumps to the earliest next recording ({@link GapPolicy#JUMP}) or stops there
 * ({@link GapPolicy#STOP}).
 * <p>
 * <b>Threads.</b> Control methods return at once and queue work on the executor; GStreamer's threads only post
 * events to it. Status goes out every 200 ms from a timer on the shared scheduler, with the recorded span queried
 * once when the session opened (S10).
 */
final class Session implements PlaybackSession {
    static final Duration STATUS_PERIOD = Duration.ofMillis(200);
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(15);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    /** Lead time between setting PLAYING and the first frame's turn, so every camera starts together. */
    private static final long START_MARGIN_NANOS = 30_000_000L;
    private static final Logger LOG = System.getLogger(Session.class.getName());

    /** The parts of the bundle a session uses. */
    interface Host {
        org.vigil.gst.GstRuntime gst();

        org.vigil.api.platform.Scheduler scheduler();

        Recordings recordings();

        CompletionStage<Snapshot> snapshot(String cameraId, Instant at, Path out, ImageFormat format);

        void closed(Session session);
    }

    /** One camera of the session. Fields are confined to the executor unless volatile. */
    private final class Slot implements Feeder.Listener, CameraPlayer.Events {
        final String cameraId;
        final Feeder feeder;
        CameraPlayer player;
        int generation;
        /** the start of the frame the last seek positioned at (ns), for the base time */
        long segmentStart;
        long base;
        volatile long gapFrom = Long.MIN_VALUE;
        /** where recording resumes after the gap; Long.MAX_VALUE at the end of the recordings */
        volatile long gapUntil = Long.MIN_VALUE;
        volatile boolean failed;
        String reportedGap;
        Instant formatChangeAt;

        Slot(String cameraId, Instant origin) {
            this.cameraId = cameraId;
            this.feeder = new Feeder(cameraId, host.recordings(), origin, this, host.scheduler());
        }

        boolean inGapAt(long wall) {
            return gapFrom != Long.MIN_VALUE && wall >= gapFrom && wall < gapUntil;
        }

        void clearGap() {
            gapFrom = Long.MIN_VALUE;
            gapUntil = Long.MIN_VALUE;
            reportedGap = null;
        }

        // ---- feeder (streaming thread)

        @Override
        public void gap(Instant from, Optional<Instant> until) {
            long f = Times.nanos(from);
            long u = until.map(Times::nanos).orElse(Long.MAX_VALUE);
            exec.execute(() -> gapReached(this, f, u));
        }

        @Override
        public void note(PlaybackEvent.Kind kind, Instant time, String message) {
            LOG.log(Level.INFO, "Camera {0}: {1}", cameraId, message);
            emit(new PlaybackEvent(kind, cameraId, time, message));
        }

        @Override
        public void formatChange(Instant from, Instant at) {
            exec.execute(() -> {
                formatChangeAt = at;
                gapReached(this, Math.min(Times.nanos(from), Times.nanos(at) - 1), Times.nanos(at));
            });
        }

        // ---- player (streaming and bus threads)

        @Override
        public void ready(CameraPlayer p, long op, Instant frame) {
            exec.execute(() -> playerReady(this, p, op, Optional.of(frame)));
        }

        @Override
        public void readyAtEnd(CameraPlayer p, long op) {
            exec.execute(() -> playerReady(this, p, op, Optional.empty()));
        }

        @Override
        public void frame(CameraPlayer p, VideoFrame frame, boolean preroll) {
            long t = Times.nanos(frame.time());
            if (gapUntil != Long.MIN_VALUE && t >= gapUntil) {
                gapFrom = Long.MIN_VALUE;
                gapUntil = Long.MIN_VALUE;
            }
            deliver(frame, preroll);
        }

        @Override
        public void failed(CameraPlayer p, String message) {
            exec.execute(() -> playerFailed(this, p, message));
        }
    }

    /** A repositioning (open, seek, speed, jump) or step waiting for every camera's picture. */
    private static final class Op {
        final long id;
        final boolean step;
        final Instant target;
        final List<CompletableFuture<Instant>> results = new ArrayList<>();
        final List<Slot> waiting = new ArrayList<>();
        boolean play;
        Instant shown;
        ScheduledFuture<?> timeout;

        Op(long id, boolean step, Instant target, boolean play) {
            this.id = id;
            this.step = step;
            this.target = target;
            this.play = play;
        }
    }

    /** A registered frame sink with a mailbox per camera. */
    private final class SinkRegistration implements Registration {
        final Map<String, FrameMailbox> boxes = new LinkedHashMap<>();

        SinkRegistration(FrameSink sink) {
            for (String c : cameras) {
                boxes.put(c, new FrameMailbox("playback " + c + " frame", sink, host.scheduler()));
            }
        }

        void offer(VideoFrame f) {
            FrameMailbox m = boxes.get(f.cameraId());
            if (m != null) {
                m.offer(f);
            }
        }

        @Override
        public void close() {
            sinks.remove(this);
            boxes.values().forEach(FrameMailbox::close);
        }
    }

    private final Host host;
    private final String name;
    private final List<String> cameras;
    private final List<Slot> slots = new ArrayList<>();
    private final SerialExecutor exec;
    /** status reports and events, in order, apart from the control work */
    private final SerialExecutor notifier;
    private final AtomicBoolean statusQueued = new AtomicBoolean();
    private final TimeRange recorded;
    private final GapPolicy gaps;
    private final List<SinkRegistration> sinks = new CopyOnWriteArrayList<>();
    /** The frame each camera shows now (frames are copies, never reused). */
    private final Map<String, VideoFrame> shown = new LinkedHashMap<>();
    private final List<Consumer<VideoFrame>> frameHooks = new CopyOnWriteArrayList<>();
    private final List<Consumer<PlaybackStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<PlaybackEvent>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> gapChecks = new ArrayList<>();
    private final ScheduledFuture<?> ticker;

    private volatile int width;
    private volatile int height;
    private volatile PlaybackState state = PlaybackState.STARTING;
    private volatile double rate = 1;
    private volatile long positionWall;
    private volatile Optional<Instant> nextRecording = Optional.empty();
    private volatile Optional<String> message = Optional.empty();
    private volatile boolean closing;
    private volatile long anchorWall;
    private volatile long anchorClock;
    private volatile boolean clockRunning;

    private long ops;
    private Op current;
    private boolean stepped;
    /** Paused by {@link #doPause} while the clock ran: play resumes; a pause reached by seeking re-anchors. */
    private boolean clockPaused;
    private long pauseClock;
    private volatile long clockOffset;
    private boolean clockKnown;
    private final CountDownLatch released = new CountDownLatch(1);

    Session(Host host, String name, List<String> cameras, Map<String, Instant> origins, TimeRange recorded,
            PlaybackOptions options) {
        this.host = host;
        this.name = name;
        this.cameras = List.copyOf(cameras);
        this.recorded = recorded;
        this.gaps = options.gaps();
        this.width = options.width();
        this.height = options.height();
        this.exec = new SerialExecutor(host.scheduler(), name);
        this.notifier = new SerialExecutor(host.scheduler(), name + " listeners");
        for (String c : cameras) {
            slots.add(new Slot(c, origins.get(c)));
        }
        this.ticker = host.scheduler().scheduleAtFixedRate(name + " position", this::tick, STATUS_PERIOD,
                STATUS_PERIOD);
    }

    /** Opens at {@code at}: positions every camera, then plays or shows the first picture paused. */
    CompletionStage<Instant> start(Instant at, boolean play) {
        positionWall = Times.nanos(at);
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> reposition(at, play, f, true));
        return f;
    }

    String name() {
        return name;
    }

    // ------------------------------------------------------------------ public API

    @Override
    public List<String> cameras() {
        return cameras;
    }

    @Override
    public Registration frames(FrameSink sink) {
        SinkRegistration r = new SinkRegistration(sink);
        // a sink registered after the first picture (paused: no other follows) gets the picture shown now; under
        // the lock a frame delivered meanwhile cannot be overtaken by an older one
        synchronized (shown) {
            sinks.add(r);
            for (VideoFrame f : shown.values()) {
                r.offer(f);
            }
        }
        return r;
    }

    /** Every decoded frame, synchronously on the streaming thread (tests measure continuity with it). */
    Registration onDecodedFrame(Consumer<VideoFrame> hook) {
        frameHooks.add(hook);
        return () -> frameHooks.remove(hook);
    }

    @Override
    public void resize(int w, int h) {
        if (w < PlaybackOptions.MIN_SIZE || w > PlaybackOptions.MAX_SIZE || h < PlaybackOptions.MIN_SIZE
                || h > PlaybackOptions.MAX_SIZE) {
            throw new IllegalArgumentException("A picture size of " + w + "x" + h + " is not possible; use "
                    + PlaybackOptions.MIN_SIZE + " to " + PlaybackOptions.MAX_SIZE + " pixels each way.");
        }
        width = w;
        height = h;
        exec.execute(() -> {
            for (Slot s : slots) {
                if (s.player != null) {
                    s.player.resize(w, h);
                }
            }
        });
    }

    @Override
    public CompletionStage<Instant> play() {
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> doPlay(f));
        return f;
    }

    @Override
    public CompletionStage<Instant> pause() {
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> doPause(f));
        return f;
    }

    @Override
    public CompletionStage<Instant> seek(Instant time) {
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> {
            if (rejectClosed(f)) {
                return;
            }
            reposition(time, willPlay(), f, true);
        });
        return f;
    }

    @Override
    public CompletionStage<Instant> speed(double speed) {
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("A speed of " + speed + " is not possible; use " + MIN_SPEED + " to "
                    + MAX_SPEED + ".");
        }
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> {
            if (rejectClosed(f)) {
                return;
            }
            Instant at = Times.instant(currentPosition());
            boolean play = willPlay();
            rate = speed;
            if (state == PlaybackState.ENDED || state == PlaybackState.NO_RECORDING) {
                f.complete(at);
                publish();
                return;
            }
            reposition(at, play, f, false);
        });
        return f;
    }

    @Override
    public CompletionStage<Instant> step() {
        CompletableFuture<Instant> f = new CompletableFuture<>();
        exec.execute(() -> doStep(f));
        return f;
    }

    @Override
    public CompletionStage<Snapshot> snapshot(String cameraId, Path out, ImageFormat format) {
        CompletableFuture<Snapshot> f = new CompletableFuture<>();
        exec.execute(() -> {
            Slot slot = slot(cameraId);
            if (slot == null) {
                f.completeExceptionally(new PlaybackException("Camera " + cameraId + " is not part of this playback."));
                return;
            }
            Instant shown = slot.player == null ? null : slot.player.lastShown();
            if (shown == null) {
                f.completeExceptionally(new PlaybackException("Camera " + cameraId + " shows no picture now"
                        + " (no recording at this time)."));
                return;
            }
            host.snapshot(cameraId, shown, out, format).whenComplete((s, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(s);
                }
            });
        });
        return f;
    }

    @Override
    public PlaybackStatus status() {
        return new PlaybackStatus(cameras, state, Times.instant(currentPosition()), rate, recorded, nextRecording,
                message);
    }

    @Override
    public Registration onStatus(Consumer<PlaybackStatus> listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    @Override
    public Registration onEvent(Consumer<PlaybackEvent> listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    @Override
    public void close() {
        if (exec.inExecutor()) {
            release();
            return;
        }
        exec.execute(this::release);
        try {
            if (!released.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "Playback {0} did not stop within {1} s.", name, CLOSE_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pipelines released (for tests: a closed session holds nothing). */
    boolean isReleased() {
        return released.getCount() == 0;
    }

    // ------------------------------------------------------------------ positioning (executor)

    private boolean willPlay() {
        if (current != null) {
            return current.play;
        }
        return state == PlaybackState.PLAYING;
    }

    private boolean rejectClosed(CompletableFuture<?> f) {
        if (closing) {
            f.completeExceptionally(new PlaybackException("The playback was stopped."));
            return true;
        }
        return false;
    }

    /**
     * Shows every camera at {@code at} (the frame on screen then, or the next recording in a gap), then plays or
     * stays paused. Supersedes a repositioning still under way.
     */
    private void reposition(Instant at, boolean play, CompletableFuture<Instant> result, boolean allowJump) {
        reposition(at, play, List.of(result), allowJump);
    }

    private void reposition(Instant at, boolean play, List<CompletableFuture<Instant>> results, boolean allowJump) {
        if (closing) {
            results.forEach(f -> f.completeExceptionally(new PlaybackException("The playback was stopped.")));
            return;
        }
        cancelGapChecks();
        Op op = new Op(++ops, false, at, play);
        op.results.addAll(results);
        if (current != null) {
            // the newest request wins; the superseded one completes with where this one lands
            op.results.addAll(current.results);
            cancelTimeout(current);
        }
        current = op;
        stepped = false;
        clockPaused = false;
        clockRunning = false;
        message = Optional.empty();
        nextRecording = Optional.empty();
        positionWall = Times.nanos(at);
        state = PlaybackState.STARTING;

        List<Feeder.Location> where = new ArrayList<>();
        boolean anyRecording = false;
        long earliestNext = Long.MAX_VALUE;
        for (Slot s : slots) {
            s.clearGap();
            s.formatChangeAt = null;
            Feeder.Location loc = s.feeder.locate(at);
            where.add(loc);
            if (loc.part().isPresent()) {
                if (loc.inGap()) {
                    earliestNext = Math.min(earliestNext, loc.frameStartNanos());
                } else {
                    anyRecording = true;
                }
            }
        }
        if (!anyRecording) {
            if (earliestNext == Long.MAX_VALUE) {
                endOfRecordings(op, at);
                return;
            }
            Instant next = Times.instant(earliestNext);
            if (gaps == GapPolicy.JUMP && allowJump) {
                emit(new PlaybackEvent(PlaybackEvent.Kind.GAP_SKIPPED, cameras.get(0), at, "No recording at "
                        + clock(at) + "; playing from " + clock(next) + ", where the next recording starts."));
                current = null;
                reposition(next, play, op.results, false);
                return;
            }
            if (gaps == GapPolicy.STOP) {
                op.play = false;
                nextRecording = Optional.of(next);
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            Feeder.Location loc = where.get(i);
            if (!ensurePlayer(s, loc)) {
                continue;
            }
            Instant frameStart = loc.part().isPresent() ? Times.instant(loc.frameStartNanos()) : at;
            s.segmentStart = Times.nanos(frameStart);
            s.player.seek(op.id, frameStart, at, rate);
            op.waiting.add(s);
        }
        if (op.waiting.isEmpty()) {
            fail(op, "No camera of this playback can show its recordings now.");
            return;
        }
        op.timeout = host.scheduler().schedule(name + " timeout", () -> exec.execute(() -> timedOut(op)),
                OPERATION_TIMEOUT);
        publish();
    }

    /** Makes sure {@code s} has a player for the recording at {@code loc}; false when it cannot have one. */
    private boolean ensurePlayer(Slot s, Feeder.Location loc) {
        if (s.player != null && !s.failed && (loc.track().isEmpty()
                || loc.track().get().codec() == s.player.track().codec())) {
            return true;
        }
        if (loc.track().isEmpty()) {
            return s.player != null && !s.failed;
        }
        if (s.player != null) {
            releasePlayer(s);
        }
        try {
            s.generation++;
            s.player = CameraPlayer.create(host.gst(), name + "-" + s.cameraId + "-" + s.generation, s.feeder,
                    loc.track().get(), width, height, s);
            s.failed = false;
            if (!clockKnown) {
                clockOffset = clockOffset(s.player);
                clockKnown = true;
            }
            return true;
        } catch (MissingElementException e) {
            s.failed = true;
            emit(new PlaybackEvent(PlaybackEvent.Kind.FAILED, s.cameraId, Times.instant(positionWall),
                    e.getMessage()));
            return false;
        } catch (RuntimeException e) {
            s.failed = true;
            LOG.log(Level.WARNING, "Camera " + s.cameraId + ": the playback pipeline could not be built: " + e, e);
            emit(new PlaybackEvent(PlaybackEvent.Kind.FAILED, s.cameraId, Times.instant(positionWall),
                    "Playback of camera " + s.cameraId + " could not start (" + e.getMessage() + ")."));
            return false;
        }
    }

    private void playerReady(Slot s, CameraPlayer p, long opId, Optional<Instant> frame) {
        Op op = current;
        if (closing || op == null || op.id != opId || s.player != p) {
            return;
        }
        if (op.shown == null && frame.isPresent() && !frame.get().isAfter(op.target)) {
            op.shown = frame.get();
        }
        if (op.step && frame.isPresent() && op.shown == null) {
            op.shown = frame.get();
        }
        op.waiting.remove(s);
        if (!op.waiting.isEmpty()) {
            return;
        }
        cancelTimeout(op);
        current = null;
        Instant result = op.shown != null ? op.shown : op.target;
        if (op.step) {
            positionWall = Times.nanos(result);
            state = PlaybackState.PAUSED;
        } else if (nextRecording.isPresent() && gaps == GapPolicy.STOP && !op.play) {
            message = Optional.of("No recording until " + clock(nextRecording.get()) + ".");
            state = PlaybackState.NO_RECORDING;
            emit(new PlaybackEvent(PlaybackEvent.Kind.NO_RECORDING, cameras.get(0), op.target, message.get()));
        } else if (op.play) {
            startClock(Times.nanos(op.target));
        } else {
            positionWall = Times.nanos(op.target);
            state = PlaybackState.PAUSED;
        }
        for (CompletableFuture<Instant> f : op.results) {
            f.complete(result);
        }
        publish();
    }

    /** Plays every camera from the positions their last seek prepared, anchored at {@code wall} now. */
    private void startClock(long wall) {
        long now = clockNow();
        anchorWall = wall;
        anchorClock = now + START_MARGIN_NANOS;
        for (Slot s : slots) {
            if (s.player != null && !s.failed) {
                s.base = anchorClock + (long) ((s.segmentStart - anchorWall) / rate);
                s.player.play(Math.max(0, s.base));
            }
        }
        clockRunning = true;
        message = Optional.empty();
        nextRecording = Optional.empty();
        state = PlaybackState.PLAYING;
        scheduleGapChecks();
    }

    private void doPlay(CompletableFuture<Instant> f) {
        if (rejectClosed(f)) {
            return;
        }
        if (current != null) {
            current.play = true;
            current.results.add(f);
            return;
        }
        switch (state) {
            case PLAYING -> f.complete(Times.instant(currentPosition()));
            case PAUSED -> {
                if (stepped || !clockPaused) {
                    // paused by a step or by opening/seeking paused: no running clock to resume, play from here
                    reposition(Times.instant(positionWall), true, f, true);
                } else {
                    resume();
                    f.complete(Times.instant(positionWall));
                    publish();
                }
            }
            case NO_RECORDING -> {
                Instant next = nextRecording.orElse(Times.instant(positionWall));
                reposition(next, true, f, true);
            }
            case FAILED -> reposition(Times.instant(positionWall), true, f, true);
            default -> f.complete(Times.instant(positionWall));
        }
    }

    /** Plays on from a pause without decoding again: every base time moves by the time spent paused. */
    private void resume() {
        long now = clockNow();
        long shift = now + START_MARGIN_NANOS - pauseClock;
        anchorClock += shift;
        clockPaused = false;
        for (Slot s : slots) {
            if (s.player != null && !s.failed) {
                s.base += shift;
                s.player.play(Math.max(0, s.base));
            }
        }
        clockRunning = true;
        state = PlaybackState.PLAYING;
        scheduleGapChecks();
    }

    private void doPause(CompletableFuture<Instant> f) {
        if (rejectClosed(f)) {
            return;
        }
        if (current != null) {
            current.play = false;
            current.results.add(f);
            return;
        }
        if (state == PlaybackState.PLAYING) {
            pauseClock = clockNow();
            positionWall = modelAt(pauseClock);
            clockRunning = false;
            clockPaused = true;
            for (Slot s : slots) {
                if (s.player != null && !s.failed) {
                    s.player.pause();
                }
            }
            cancelGapChecks();
            state = PlaybackState.PAUSED;
        }
        f.complete(Times.instant(positionWall));
        publish();
    }

    private void doStep(CompletableFuture<Instant> f) {
        if (rejectClosed(f)) {
            return;
        }
        if (current != null) {
            // after the repositioning under way
            Op pending = current;
            CompletableFuture<Instant> after = new CompletableFuture<>();
            pending.results.add(after);
            after.whenComplete((t, e) -> exec.execute(() -> doStep(f)));
            return;
        }
        if (state == PlaybackState.PLAYING) {
            doPause(new CompletableFuture<>());
        }
        if (state != PlaybackState.PAUSED) {
            f.complete(Times.instant(positionWall));
            return;
        }
        Op op = new Op(++ops, true, Times.instant(positionWall), false);
        op.results.add(f);
        long at = positionWall;
        for (Slot s : slots) {
            if (s.player != null && !s.failed && !s.inGapAt(at)) {
                op.waiting.add(s);
            }
        }
        if (op.waiting.isEmpty()) {
            f.complete(Times.instant(positionWall));
            return;
        }
        current = op;
        stepped = true;
        op.timeout = host.scheduler().schedule(name + " timeout", () -> exec.execute(() -> timedOut(op)),
                OPERATION_TIMEOUT);
        for (Slot s : new ArrayList<>(op.waiting)) {
            s.player.step(op.id);
        }
    }

    private void endOfRecordings(Op op, Instant at) {
        current = null;
        message = Optional.of("No recording after " + clock(at) + ".");
        state = PlaybackState.ENDED;
        for (Slot s : slots) {
            if (s.player != null && !s.failed) {
                s.player.pause();
            }
        }
        emit(new PlaybackEvent(PlaybackEvent.Kind.END_OF_RECORDINGS, cameras.get(0), at, message.get()));
        for (CompletableFuture<Instant> f : op.results) {
            f.complete(at);
        }
        publish();
    }

    private void timedOut(Op op) {
        if (current != op || closing) {
            return;
        }
        StringBuilder who = new StringBuilder();
        for (Slot s : op.waiting) {
            who.append(who.length() == 0 ? "" : ", ").append(s.cameraId);
        }
        fail(op, "Camera " + who + " showed no picture within " + OPERATION_TIMEOUT.toSeconds()
                + " s; the recording may be damaged. Seek to try again.");
    }

    private void fail(Op op, String why) {
        cancelTimeout(op);
        current = null;
        message = Optional.of(why);
        state = PlaybackState.FAILED;
        for (CompletableFuture<Instant> f : op.results) {
            f.completeExceptionally(new PlaybackException(why));
        }
        publish();
    }

    private void playerFailed(Slot s, CameraPlayer p, String why) {
        if (closing || s.player != p || s.failed) {
            return;
        }
        LOG.log(Level.WARNING, "{0}", why);
        s.failed = true;
        emit(new PlaybackEvent(PlaybackEvent.Kind.FAILED, s.cameraId, Times.instant(currentPosition()), why));
        releasePlayer(s);
        Op op = current;
        if (op != null && op.waiting.remove(s) && op.waiting.isEmpty()) {
            fail(op, why);
            return;
        }
        boolean anyAlive = slots.stream().anyMatch(x -> x.player != null && !x.failed);
        if (!anyAlive) {
            message = Optional.of(why);
            state = PlaybackState.FAILED;
            publish();
        }
    }

    // ------------------------------------------------------------------ gaps (executor)

    private void gapReached(Slot s, long from, long until) {
        if (closing) {
            return;
        }
        s.gapFrom = from;
        s.gapUntil = until;
        if (clockRunning) {
            scheduleCheckAt(from);
        } else if (current == null && state == PlaybackState.PAUSED) {
            // reached while stepping or paused: checked when playing resumes
            LOG.log(Level.DEBUG, "Camera {0}: gap from {1} noted while paused.", s.cameraId, Times.instant(from));
        }
    }

    private void scheduleGapChecks() {
        for (Slot s : slots) {
            if (s.gapFrom != Long.MIN_VALUE) {
                scheduleCheckAt(s.gapFrom);
            }
        }
    }

    private void scheduleCheckAt(long wall) {
        long now = modelNow();
        long delayNanos = (long) (Math.max(0, wall - now) / rate);
        try {
            gapChecks.add(host.scheduler().schedule(name + " gap", () -> exec.execute(this::checkGaps),
                    Duration.ofNanos(delayNanos)));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Gap check not scheduled: {0}", e.toString());
        }
        gapChecks.removeIf(java.util.concurrent.Future::isDone);
    }

    private void cancelGapChecks() {
        for (ScheduledFuture<?> f : gapChecks) {
            f.cancel(false);
        }
        gapChecks.clear();
    }

    /** When every camera is in a stretch without recording: jump over it or stop, by the session's policy. */
    private void checkGaps() {
        if (closing || !clockRunning || current != null || state != PlaybackState.PLAYING) {
            return;
        }
        long now = modelNow();
        long next = Long.MAX_VALUE;
        long gapStart = Long.MIN_VALUE;
        boolean allIdle = true;
        for (Slot s : slots) {
            boolean idle = s.player == null || s.failed || s.inGapAt(now);
            if (!idle) {
                allIdle = false;
                continue;
            }
            if (s.gapFrom != Long.MIN_VALUE) {
                next = Math.min(next, s.gapUntil);
                gapStart = Math.max(gapStart, s.gapFrom);
            }
            if (slots.size() > 1 && s.gapFrom != Long.MIN_VALUE && s.reportedGap == null) {
                s.reportedGap = "reported";
                String until = s.gapUntil == Long.MAX_VALUE ? "" : " until " + clock(Times.instant(s.gapUntil));
                emit(new PlaybackEvent(PlaybackEvent.Kind.NO_RECORDING, s.cameraId, Times.instant(s.gapFrom),
                        "Camera " + s.cameraId + " has no recording from " + clock(Times.instant(s.gapFrom)) + until
                                + "."));
            }
        }
        if (!allIdle || gapStart == Long.MIN_VALUE) {
            return;
        }
        Instant from = Times.instant(gapStart);
        if (next == Long.MAX_VALUE) {
            Op op = new Op(++ops, false, from, false);
            clockRunning = false;
            positionWall = gapStart;
            endOfRecordings(op, from);
            return;
        }
        Instant to = Times.instant(next);
        boolean formatChange = slots.stream().anyMatch(s -> s.formatChangeAt != null
                && Times.nanos(s.formatChangeAt) == s.gapUntil && s.gapUntil - s.gapFrom <= Feeder.GAP_NANOS);
        if (formatChange) {
            // the recording goes on in another encoding: a new decoder, no gap to report
            reposition(to, true, new CompletableFuture<>(), false);
        } else if (gaps == GapPolicy.JUMP) {
            emit(new PlaybackEvent(PlaybackEvent.Kind.GAP_SKIPPED, cameras.get(0), from, "No recording from "
                    + clock(from) + " to " + clock(to) + "; playing on at " + clock(to) + "."));
            reposition(to, true, new CompletableFuture<>(), true);
        } else {
            pauseClock = clockNow();
            clockRunning = false;
            for (Slot s : slots) {
                if (s.player != null && !s.failed) {
                    s.player.pause();
                }
            }
            positionWall = gapStart;
            nextRecording = Optional.of(to);
            message = Optional.of("No recording until " + clock(to) + ".");
            state = PlaybackState.NO_RECORDING;
            emit(new PlaybackEvent(PlaybackEvent.Kind.NO_RECORDING, cameras.get(0), from, message.get()));
            publish();
        }
    }

    // ------------------------------------------------------------------ time

    /** The pipelines' clock time now: the system clock they all run on, read without a native call. */
    private long clockNow() {
        return System.nanoTime() + clockOffset;
    }

    /**
     * How far GStreamer's system clock is from {@link System#nanoTime()} (both are the monotonic clock on Linux, so
     * normally 0), read once from a pipeline; the clock's proxy is released at once.
     */
    private static long clockOffset(CameraPlayer player) {
        Clock c = null;
        try {
            c = player.pipeline().pipeline().getClock();
            if (c == null) {
                return 0;
            }
            long before = System.nanoTime();
            long t = c.getTime();
            long after = System.nanoTime();
            return t - (before + (after - before) / 2);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "The pipeline clock could not be read ({0}); using the monotonic clock.",
                    e.toString());
            return 0;
        } finally {
            if (c != null) {
                try {
                    c.dispose();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "Clock dispose: {0}", e.toString());
                }
            }
        }
    }

    private long modelAt(long clockTime) {
        return anchorWall + (long) ((clockTime - anchorClock) * rate);
    }

    private long modelNow() {
        return clockRunning ? modelAt(clockNow()) : positionWall;
    }

    /** The wall time on screen now: the clock model while playing, else the position reached. */
    private long currentPosition() {
        if (clockRunning && state == PlaybackState.PLAYING) {
            long m = modelAt(clockNow());
            return Math.max(m, anchorWall);
        }
        return positionWall;
    }

    private String clock(Instant t) {
        return Times.clock(t, Times.instant(currentPosition()), host.recordings().zone());
    }

    // ------------------------------------------------------------------ frames, status, events

    private void deliver(VideoFrame f, boolean preroll) {
        for (Consumer<VideoFrame> h : frameHooks) {
            try {
                h.accept(f);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "A frame hook failed: {0}", e.toString());
            }
        }
        synchronized (shown) {
            if (preroll) {
                shown.put(f.cameraId(), f); // a still picture: nothing else follows for a sink registered later
            } else {
                shown.remove(f.cameraId()); // playing: the next picture follows within a frame
            }
            for (SinkRegistration r : sinks) {
                r.offer(f);
            }
        }
    }

    /** The 200 ms timer: one status report queued at a time, so a slow listener never piles them up. */
    private void tick() {
        if (!closing && statusQueued.compareAndSet(false, true)) {
            notifier.execute(() -> {
                statusQueued.set(false);
                report();
            });
        }
    }

    private void report() {
        if (closing) {
            return;
        }
        PlaybackStatus s = status();
        for (Consumer<PlaybackStatus> l : statusListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A playback status listener failed: " + e, e);
            }
        }
    }

    /** Tells status listeners about a change of state now (not waiting for the next tick). */
    private void publish() {
        notifier.execute(this::report);
    }

    /** Events go out in order, one listener call at a time, on the notifier (never on GStreamer's threads). */
    private void emit(PlaybackEvent e) {
        if (eventListeners.isEmpty()) {
            return;
        }
        notifier.execute(() -> {
            for (Consumer<PlaybackEvent> l : eventListeners) {
                try {
                    l.accept(e);
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "A playback event listener failed: " + ex, ex);
                }
            }
        });
    }

    private Slot slot(String cameraId) {
        for (Slot s : slots) {
            if (s.cameraId.equals(cameraId)) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ release (executor)

    private void cancelTimeout(Op op) {
        if (op.timeout != null) {
            op.timeout.cancel(false);
        }
    }

    private void releasePlayer(Slot s) {
        CameraPlayer p = s.player;
        s.player = null;
        if (p != null) {
            Teardown t = p.release();
            if (!t.reachedNull()) {
                LOG.log(Level.WARNING, "Playback of camera {0}: the pipeline did not stop cleanly: {1}", s.cameraId, t);
            }
        }
    }

    /** Stops everything at once: timers, pipelines (NULL, listeners, proxies), files, listeners. Idempotent. */
    private void release() {
        if (released.getCount() == 0) {
            return;
        }
        closing = true;
        try {
            ticker.cancel(false);
            cancelGapChecks();
            Op op = current;
            current = null;
            if (op != null) {
                cancelTimeout(op);
                for (CompletableFuture<Instant> f : op.results) {
                    f.completeExceptionally(new PlaybackException("The playback was stopped."));
                }
            }
            for (Slot s : slots) {
                try {
                    releasePlayer(s);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Releasing playback of camera " + s.cameraId + " failed: " + e, e);
                }
                s.feeder.close();
            }
            for (SinkRegistration r : sinks) {
                r.boxes.values().forEach(FrameMailbox::close);
            }
            synchronized (shown) {
                sinks.clear();
                shown.clear();
            }
            frameHooks.clear();
            state = PlaybackState.CLOSED;
            PlaybackStatus last = status();
            // the last report, after those already queued; then the listeners are forgotten
            notifier.execute(() -> {
                for (Consumer<PlaybackStatus> l : statusListeners) {
                    try {
                        l.accept(last);
                    } catch (RuntimeException e) {
                        LOG.log(Level.DEBUG, "A status listener failed on close: {0}", e.toString());
                    }
                }
                statusListeners.clear();
                eventListeners.clear();
            });
        } finally {
            host.closed(this);
            released.countDown();
        }
    }
}
