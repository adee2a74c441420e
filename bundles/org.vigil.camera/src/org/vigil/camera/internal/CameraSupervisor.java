package org.vigil.camera.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.CameraStatusListener;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.FrameSink;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.WriteCheck;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.MissingElementException;

/**
 * The recorder of one camera (one factory configuration of {@code org.vigil.camera}): a supervised state machine
 * <pre>
 * DISABLED -> CONNECTING -> RECORDING (STREAMING when recording is off) -> RECONNECTING -> ... | OFFLINE(reason)
 * </pre>
 * that never stops trying: a lost stream (error, end of stream, or no frame for the watchdog time) is closed
 * cleanly and reconnected with a new pipeline after a growing, jittered delay (minimum to maximum of the settings);
 * failures that will not pass by themselves (wrong password or path, not a camera) show OFFLINE and are retried at
 * the maximum delay; a missing codec plugin or storage shows OFFLINE until it comes back. Every wait is scheduled on
 * the shared scheduler; every change of state runs on one serial executor, one at a time. Settings changes apply
 * live ({@code @Modified}); only those that need a new connection (URL, codec, transport, recording switch) make
 * one. Cameras run only when the framework records ({@link VigilMode#records()}).
 */
@Component(configurationPid = CameraSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = CameraSupervisor.class, immediate = true)
public final class CameraSupervisor {
    static final Duration TICK = Duration.ofMillis(500);
    static final Duration STOP_WAIT = Duration.ofSeconds(4);
    static final Duration DEACTIVATE_WAIT = Duration.ofSeconds(10);
    /** A connection that delivered frames this long resets the reconnect delay to the minimum. */
    static final Duration STABLE = Duration.ofSeconds(10);
    /** The wall clock may drift this much from the pipeline clock before it counts as set (a clock jump). */
    static final Duration CLOCK_JUMP = Duration.ofSeconds(2);
    /** Fragment length of MP4 segments: what a crash can lose at most (measured: below 0.8 s with latency). */
    static final int FRAGMENT_MILLIS = 500;
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final List<String> ELEMENTS = List.of("rtspsrc", "tee", "queue", "capsfilter", "filesink", "fakesink",
            "mp4mux", "matroskamux", "videoscale", "videoconvert", "appsink");
    private static final Logger LOG = System.getLogger(CameraSupervisor.class.getName());
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private enum Waiting {
        NOTHING, PLUGIN, STORAGE
    }

    private final String id;
    /** Where the passwords of the URLs are kept apart from the configuration (absent: the URLs hold them). */
    private final CameraSecrets secrets;
    private final VigilMode mode;
    private final Scheduler scheduler;
    private final GstRuntime gst;
    private final CodecPlugins codecs;
    private final RecordingStorage storage;
    private final SerialExecutor strand;
    private final SerialExecutor io;
    private final List<CameraStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final LiveViewers viewers;
    private final Backoff backoff;
    private final Backoff subBackoff;
    private final Set<CameraSession> stopping = ConcurrentHashMap.newKeySet();
    private final Registration codecWatch;
    private final Registration storageWatch;
    private final ScheduledFuture<?> tick;
    private final Optional<String> missingElements;

    private volatile CameraConfig config;
    private volatile String configProblem;
    private volatile CameraStatus status;
    private volatile boolean closed;
    private volatile boolean stopped;
    private volatile CameraStatistics statistics;

    // confined to the strand
    private CameraSession session;
    private CameraSession sub;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> subRetry;
    private Waiting waiting = Waiting.NOTHING;
    /**
     * The last session failed because its file could not be written (the folder, not the storage): the camera stays
     * OFFLINE with that sentence through the retries, and shows RECORDING again only once a file is open, so that
     * neither its status nor the monitor's offline alert is reset by an attempt that will fail the same way.
     */
    private boolean writeBlocked;
    private long receivingSinceNanos;
    private boolean audioSkipLogged;
    private int ticks;

    // statistics (written by the strand and the io executor)
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong framesBefore = new AtomicLong();
    private final AtomicLong bytesBefore = new AtomicLong();
    private final AtomicLong segmentsClosed = new AtomicLong();
    private final Deque<long[]> rateSamples = new ArrayDeque<>();
    private volatile String lastError;
    private volatile Instant newestSegmentEnd;
    private volatile double fps;
    private volatile long bitrate;
    private volatile Instant lastFrameAt;
    /**
     * The wall clock segments are named by; tests set it ahead to see a clock jump and midnight. The soak benchmark
     * steps it through a file ({@link OffsetFileClock}, only when its system property is set).
     */
    private final SettableClock clock = new SettableClock(OffsetFileClock.systemOrBench());

    @Activate
    public CameraSupervisor(Map<String, Object> properties, BundleContext context, @Reference Scheduler scheduler,
            @Reference GstRuntime gst, @Reference CodecPlugins codecs, @Reference RecordingStorage storage,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CameraSecrets secrets) {
        this(properties, VigilMode.of(context.getProperty(VigilMode.PROPERTY)), scheduler, gst, codecs, storage,
                secrets);
    }

    CameraSupervisor(Map<String, Object> properties, VigilMode mode, Scheduler scheduler, GstRuntime gst,
            CodecPlugins codecs, RecordingStorage storage) {
        this(properties, mode, scheduler, gst, codecs, storage, null);
    }

    CameraSupervisor(Map<String, Object> properties, VigilMode mode, Scheduler scheduler, GstRuntime gst,
            CodecPlugins codecs, RecordingStorage storage, CameraSecrets secrets) {
        this.secrets = secrets;
        this.id = idOf(properties);
        this.mode = mode;
        this.scheduler = scheduler;
        this.gst = gst;
        this.codecs = codecs;
        this.storage = storage;
        this.strand = new SerialExecutor(scheduler, "camera " + id);
        this.io = new SerialExecutor(scheduler, "camera " + id + " segments");
        this.viewers = new LiveViewers(id, scheduler);
        this.status = new CameraStatus(id, CameraState.DISABLED, Instant.now(), Optional.empty());
        readConfig(properties);
        CameraConfig c = config;
        this.backoff = new Backoff(c == null ? CameraConfig.DEFAULT_RECONNECT_MIN : c.reconnectMin(),
                c == null ? CameraConfig.DEFAULT_RECONNECT_MAX : c.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.subBackoff = new Backoff(CameraConfig.DEFAULT_RECONNECT_MIN, CameraConfig.DEFAULT_RECONNECT_MAX,
                () -> ThreadLocalRandom.current().nextDouble());
        Optional<String> missing = Optional.empty();
        if (mode.records()) {
            try {
                gst.requireElements(ELEMENTS);
            } catch (MissingElementException e) {
                missing = Optional.of(e.getMessage());
            }
        }
        this.missingElements = missing;
        this.statistics = snapshot();
        this.codecWatch = codecs.watch(() -> strand.execute(this::pluginsChanged));
        this.storageWatch = storage.watch(() -> strand.execute(this::storageChanged));
        this.tick = mode.records()
                ? scheduler.scheduleAtFixedRate("camera " + id + " watchdog", () -> strand.execute(this::onTick),
                        TICK, TICK)
                : null;
        strand.execute(this::evaluate);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        strand.execute(() -> reconfigure(properties));
    }

    /** Stops everything this camera started, waits (bounded) for its files to be finished. Idempotent. */
    @Deactivate
    void deactivate() {
        if (closed) {
            return;
        }
        closed = true;
        if (tick != null) {
            tick.cancel(false);
        }
        close(codecWatch);
        close(storageWatch);
        CountDownLatch done = new CountDownLatch(1);
        strand.execute(() -> {
            try {
                cancelRetries();
                stopNow(session);
                session = null;
                stopNow(sub);
                sub = null;
                viewers.closeAll();
            } finally {
                done.countDown();
            }
        });
        try {
            long deadline = System.nanoTime() + DEACTIVATE_WAIT.toNanos();
            if (!done.await(DEACTIVATE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "Camera {0} did not stop within {1} s.", id, DEACTIVATE_WAIT.toSeconds());
            }
            while (!stopping.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            CountDownLatch written = new CountDownLatch(1);
            io.execute(written::countDown);
            written.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publish(CameraState.DISABLED, Optional.of("The camera was removed or the recorder is stopping."));
        listeners.clear();
        stopped = true;
    }

    /** Whether {@link #deactivate()} has finished: everything stopped, the last segment announced. */
    boolean isStopped() {
        return stopped;
    }

    // ---- public face (used by the registry, commands and tests) ----

    String id() {
        return id;
    }

    CameraStatus status() {
        return status;
    }

    CameraStatistics statistics() {
        return statistics;
    }

    Optional<CameraConfig> config() {
        return Optional.ofNullable(config);
    }

    /** Tells {@code listener} the current status at once, then every change. */
    Registration addStatusListener(CameraStatusListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        strand.execute(() -> notify(listener, status));
        return () -> listeners.remove(listener);
    }

    int statusListeners() {
        return listeners.size();
    }

    /** Live pictures of this camera at {@code width} x {@code height}; see {@link org.vigil.api.camera.LiveFeed}. */
    Registration subscribe(int width, int height, LiveFeed.Stream stream, FrameSink sink) {
        LiveViewers.Size size = new LiveViewers.Size(width, height, stream == LiveFeed.Stream.MAIN);
        LiveViewers.Viewer viewer = viewers.newViewer(sink);
        strand.execute(() -> {
            if (!closed) {
                viewers.add(size, viewer);
                liveChanged();
            } else {
                viewer.close();
            }
        });
        return new Registration() {
            private boolean done;

            @Override
            public synchronized void close() {
                if (done) {
                    return;
                }
                done = true;
                viewer.close();
                strand.execute(() -> {
                    LiveViewers.Group empty = viewers.remove(size, viewer);
                    if (empty != null && empty.branch != null) {
                        empty.session.detachLive(empty.branch);
                        empty.branch = null;
                    }
                    liveChanged();
                });
            }
        };
    }

    /** Sets the wall clock new segments are named by (tests: a clock set forward, midnight). */
    void clock(Clock c) {
        clock.set(c);
    }

    /** Numbers for tests and diagnostics, read on the caller's thread. */
    record Diagnostics(int session, int sessionListeners, int liveBranches, boolean subStream, int viewers,
            Duration lastBackoff, long reconnects, long segmentsClosed, int stoppingSessions, boolean writing,
            int mainLiveBranches) {
    }

    Diagnostics diagnostics() {
        CountDownLatch done = new CountDownLatch(1);
        Diagnostics[] d = new Diagnostics[1];
        strand.execute(() -> {
            CameraSession s = session;
            CameraSession live = sub != null ? sub : s;
            d[0] = new Diagnostics(s == null ? 0 : s.number(), s == null ? 0 : s.connectedListeners(),
                    live == null ? 0 : live.liveBranches(), sub != null, viewers.viewers(), backoff.last(),
                    reconnects.get(), segmentsClosed.get(), stopping.size(),
                    s != null && s.writer().map(SegmentWriter::writing).orElse(false), s == null ? 0 : s.liveBranches());
            done.countDown();
        });
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return d[0];
    }

    // ---- configuration ----

    private void readConfig(Map<String, Object> properties) {
        try {
            CameraConfig c = CameraProperties.toConfig(secrets == null ? properties : secrets.resolve(properties));
            if (!c.id().equals(id)) {
                throw new IllegalArgumentException("The camera id '" + c.id() + "' does not match its configuration '"
                        + id + "'.");
            }
            config = c;
            configProblem = null;
        } catch (IllegalArgumentException e) {
            config = null;
            configProblem = "The settings of camera " + id + " are not usable: " + e.getMessage();
        }
    }

    private void reconfigure(Map<String, Object> properties) {
        if (closed) {
            return;
        }
        CameraConfig old = config;
        readConfig(properties);
        CameraConfig now = config;
        if (now == null) {
            LOG.log(Level.WARNING, configProblem);
            stopSession(Failure.stopped("settings not usable"));
            stopSub();
            cancelRetries();
            evaluate();
            return;
        }
        backoff.limits(now.reconnectMin(), now.reconnectMax());
        boolean reconnect = old == null || !old.url().equals(now.url()) || old.codec() != now.codec()
                || old.transport() != now.transport() || old.record() != now.record()
                || old.enabled() != now.enabled();
        boolean subChanged = old == null || !old.subUrl().equals(now.subUrl()) || reconnect;
        if (reconnect) {
            LOG.log(Level.INFO, "Camera {0}: settings changed ({1}); connecting anew.", id, now);
            stopSession(Failure.stopped("settings changed"));
            cancelRetries();
            backoff.reset();
            waiting = Waiting.NOTHING;
            writeBlocked = false;
        }
        if (subChanged) {
            stopSub();
        }
        evaluate();
    }

    // ---- state machine (strand) ----

    private void evaluate() {
        if (closed) {
            return;
        }
        if (!mode.records()) {
            publish(CameraState.DISABLED, Optional.of("Cameras are recorded only by a running recorder ('vigil run');"
                    + " this framework runs in " + mode.name().toLowerCase(java.util.Locale.ROOT) + " mode."));
            return;
        }
        CameraConfig c = config;
        if (c == null) {
            publish(CameraState.OFFLINE, Optional.of(configProblem));
            return;
        }
        if (!c.enabled()) {
            stopSession(Failure.stopped("disabled"));
            stopSub();
            cancelRetries();
            publish(CameraState.DISABLED, Optional.empty());
            return;
        }
        if (missingElements.isPresent()) {
            publish(CameraState.OFFLINE, missingElements);
            return;
        }
        if (c.record()) {
            WriteCheck check = storage.check(id);
            if (!check.allowed()) {
                String why = check.reason().orElse("The recordings storage cannot record now ("
                        + check.state().name().toLowerCase(java.util.Locale.ROOT) + ").");
                if (session != null) {
                    stopSession(Failure.stopped("storage"));
                }
                waitFor(Waiting.STORAGE, why);
                manageSub();
                return;
            }
        }
        if (c.codec() != Codec.AUTO && codecs.forCodec(c.codec()).isEmpty()) {
            if (session != null) {
                stopSession(Failure.stopped("no plugin"));
            }
            waitFor(Waiting.PLUGIN, Failure.noPlugin(c.codec().name()).reason());
            manageSub();
            return;
        }
        if (waiting != Waiting.NOTHING) {
            waiting = Waiting.NOTHING;
            cancelRetry();
        }
        if (session == null && retry == null) {
            connect(false);
        }
        manageSub();
    }

    private void waitFor(Waiting what, String reason) {
        waiting = what;
        lastError = reason;
        publish(CameraState.OFFLINE, Optional.of(reason));
        if (retry == null) {
            // a safety net: the watch brings it back at once, this only in case a change went unnoticed
            scheduleRetry(backoff.longest());
        }
    }

    private void connect(boolean afterFailure) {
        retry = null;
        CameraConfig c = config;
        if (closed || c == null || session != null) {
            return;
        }
        if (afterFailure) {
            reconnects.incrementAndGet();
        } else if (!writeBlocked) {
            publish(CameraState.CONNECTING, Optional.empty());
        }
        CameraSession.Plan plan = new CameraSession.Plan(id, "main", c.url(), c.transport(), c.codec(), c.record(),
                this::segmentLength, FRAGMENT_MILLIS, (start, container) -> storage.reserve(id, start, container),
                connectTimeout(c), clock);
        try {
            session = CameraSession.open(SESSIONS.incrementAndGet(), plan, codecs, gst, scheduler, mainEvents);
        } catch (MissingElementException e) {
            failed(null, Failure.permanent(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Camera " + id + ": the recorder pipeline could not be built: " + e, e);
            failed(null, Failure.transientFailure("The recorder pipeline could not be built: " + e.getMessage()));
        }
    }

    private Duration segmentLength() {
        CameraConfig c = config;
        return c == null ? CameraConfig.DEFAULT_SEGMENT : c.segmentLength();
    }

    private static Duration connectTimeout(CameraConfig c) {
        Duration twice = c.watchdog().multipliedBy(2);
        return twice.compareTo(MIN_CONNECT_TIMEOUT) > 0 ? twice : MIN_CONNECT_TIMEOUT;
    }

    private final CameraSession.Events mainEvents = new CameraSession.Events() {
        @Override
        public void receiving(CameraSession s) {
            strand.execute(() -> onReceiving(s));
        }

        @Override
        public void failed(CameraSession s, Failure failure) {
            strand.execute(() -> CameraSupervisor.this.failed(s, failure));
        }

        @Override
        public void segmentFinished(CameraSession s, SegmentWriter.FinishedSegment segment) {
            Codec codec = s.plugin().map(CodecPlugin::codec).orElse(s.plan().codec());
            io.execute(() -> announce(segment, codec));
        }

        @Override
        public void audioSkipped(CameraSession s, String encoding) {
            strand.execute(() -> {
                if (!audioSkipLogged) {
                    audioSkipLogged = true;
                    LOG.log(Level.INFO, "Camera {0} sends {1} audio, which is not recorded (Vigil records AAC audio);"
                            + " the video is recorded without it.", id, encoding.isEmpty() ? "unknown" : encoding);
                }
            });
        }

        @Override
        public void liveFailed(CameraSession s, String reason) {
            strand.execute(() -> dropLiveBranches(s));
        }

        @Override
        public void writing(CameraSession s) {
            strand.execute(() -> onWriting(s));
        }
    };

    private void onReceiving(CameraSession s) {
        if (s != session || closed) {
            return;
        }
        receivingSinceNanos = System.nanoTime();
        CameraConfig c = config;
        boolean record = c != null && c.record();
        if (!(record && writeBlocked)) {
            publish(record ? CameraState.RECORDING : CameraState.STREAMING, Optional.empty());
        }
        attachViewers(s, true);
    }

    private void onWriting(CameraSession s) {
        if (s != session || closed || !writeBlocked) {
            return;
        }
        writeBlocked = false;
        LOG.log(Level.INFO, "Camera {0}: the recordings folder can be written again.", id);
        if (s.isReceiving()) {
            publish(CameraState.RECORDING, Optional.empty());
        }
    }

    private void failed(CameraSession s, Failure f) {
        if (s != null && s != session) {
            stopLater(s); // a stale session's late report: just make sure it is gone
            return;
        }
        session = null;
        if (s != null) {
            stopLater(s);
            detachedFrom(s);
        }
        if (closed || f.kind() == Failure.Kind.STOPPED) {
            return;
        }
        lastError = f.reason();
        // a file that cannot be written (reported by the session) keeps the camera OFFLINE through its retries
        writeBlocked = f.kind() == Failure.Kind.STORAGE && s != null;
        switch (f.kind()) {
            case NO_PLUGIN -> waitFor(Waiting.PLUGIN, f.reason());
            case STORAGE -> waitFor(Waiting.STORAGE, f.reason());
            case PERMANENT -> {
                publish(CameraState.OFFLINE, Optional.of(f.reason()));
                scheduleRetry(backoff.longest());
            }
            default -> {
                publish(CameraState.RECONNECTING, Optional.of(f.reason()));
                scheduleRetry(backoff.next());
            }
        }
    }

    private void scheduleRetry(Duration delay) {
        cancelRetry();
        retry = scheduler.schedule("camera " + id + " reconnect", () -> strand.execute(() -> {
            if (retry != null && !closed) {
                retry = null;
                if (waiting != Waiting.NOTHING) {
                    evaluate();
                } else {
                    connect(true);
                }
            }
        }), delay);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void cancelRetries() {
        cancelRetry();
        if (subRetry != null) {
            subRetry.cancel(false);
            subRetry = null;
        }
    }

    /** Stops the main session (its open segment is finished) without waiting here. */
    private void stopSession(Failure why) {
        CameraSession s = session;
        if (s != null) {
            session = null;
            LOG.log(Level.DEBUG, "Camera {0}: stopping {1} ({2}).", id, s, why.reason());
            stopLater(s);
            detachedFrom(s);
        }
    }

    private void stopLater(CameraSession s) {
        if (s == null || !stopping.add(s)) {
            return;
        }
        account(s);
        try {
            scheduler.execute("camera " + id + " stop", () -> {
                try {
                    s.stop(STOP_WAIT);
                } finally {
                    stopping.remove(s);
                }
            });
        } catch (RuntimeException e) {
            try {
                s.stop(STOP_WAIT);
            } finally {
                stopping.remove(s);
            }
        }
    }

    /** Stops {@code s} on this thread (deactivation). */
    private void stopNow(CameraSession s) {
        if (s == null) {
            return;
        }
        if (stopping.add(s)) {
            account(s);
        }
        try {
            s.stop(STOP_WAIT);
        } finally {
            stopping.remove(s);
        }
    }

    /** Adds a finished session's counts to the camera's totals, once. */
    private void account(CameraSession s) {
        if (s.markAccounted()) {
            framesBefore.addAndGet(s.frames());
            bytesBefore.addAndGet(s.bytes());
        }
    }

    private void pluginsChanged() {
        if (closed) {
            return;
        }
        CameraSession s = session;
        if (s != null && s.plugin().isPresent() && !codecs.isInstalled(s.plugin().get())) {
            CodecPlugin gone = s.plugin().get();
            LOG.log(Level.INFO, "Camera {0}: the codec plugin {1} went away; closing the segment and looking for"
                    + " another.", id, gone);
            stopSession(Failure.stopped("plugin gone"));
            cancelRetry();
            evaluate();
            return;
        }
        if (waiting == Waiting.PLUGIN || status.state() == CameraState.OFFLINE && session == null) {
            cancelRetry();
            waiting = Waiting.NOTHING;
            evaluate();
        }
        if (sub != null && sub.plugin().isPresent() && !codecs.isInstalled(sub.plugin().get())) {
            stopSub();
            manageSub();
        }
    }

    private void storageChanged() {
        if (closed) {
            return;
        }
        CameraConfig c = config;
        if (waiting == Waiting.STORAGE) {
            evaluate();
        } else if (session != null && c != null && c.record() && !storage.check(id).allowed()) {
            evaluate(); // stops the session cleanly and waits
        }
    }

    // ---- watchdog and statistics (strand, every TICK) ----

    private void onTick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        CameraConfig c = config;
        CameraSession s = session;
        if (s != null && !s.isStopping() && c != null) {
            if (s.isReceiving()) {
                long silent = now - s.lastFrameNanos();
                if (silent > c.watchdog().toNanos()) {
                    s.failFromOutside(Failure.watchdog(c.watchdog()));
                } else {
                    if (now - receivingSinceNanos > STABLE.toNanos() && backoff.failures() > 0) {
                        backoff.reset();
                    }
                    s.writer().ifPresent(w -> {
                        Duration jump = w.checkWallClock(CLOCK_JUMP);
                        if (!jump.isZero()) {
                            LOG.log(Level.INFO, "Camera {0}: the wall clock moved by {1} s; the segment is cut at the"
                                    + " next keyframe and the next one is named by the new time.", id,
                                    jump.toMillis() / 1000.0);
                        }
                    });
                }
            } else if (now - s.startedNanos() > connectTimeout(c).toNanos()) {
                s.failFromOutside(Failure.noFirstFrame(c.url(), connectTimeout(c)));
            }
        }
        CameraSession live = sub;
        if (live != null && !live.isStopping() && c != null) {
            long since = live.isReceiving() ? now - live.lastFrameNanos() : now - live.startedNanos();
            long limit = live.isReceiving() ? c.watchdog().toNanos() : connectTimeout(c).toNanos();
            if (since > limit) {
                live.failFromOutside(Failure.watchdog(c.watchdog()));
            }
        }
        if (++ticks % 2 == 0) {
            updateRates(now);
        }
        statistics = snapshot();
    }

    private void updateRates(long now) {
        CameraSession s = session;
        long frames = framesBefore.get() + (s != null && !s.isAccounted() ? s.frames() : 0);
        long bytes = bytesBefore.get() + (s != null && !s.isAccounted() ? s.bytes() : 0);
        rateSamples.addLast(new long[] { now, frames, bytes });
        while (rateSamples.size() > 6) {
            rateSamples.removeFirst();
        }
        long[] first = rateSamples.peekFirst();
        long[] last = rateSamples.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        if (seconds > 0.5 && s != null && s.isReceiving()) {
            fps = Math.max(0, (last[1] - first[1]) / seconds);
            bitrate = Math.max(0, Math.round((last[2] - first[2]) * 8 / seconds));
        } else if (s == null || !s.isReceiving()) {
            fps = 0;
            bitrate = 0;
        }
    }

    private CameraStatistics snapshot() {
        CameraStatus st = status;
        CameraSession s = session;
        long frames = framesBefore.get() + (s != null && !s.isAccounted() ? s.frames() : 0);
        long bytes = bytesBefore.get() + (s != null && !s.isAccounted() ? s.bytes() : 0);
        Optional<Instant> lastFrame = Optional.empty();
        if (s != null && s.lastFrameNanos() != 0) {
            lastFrame = Optional.of(Instant.now().minusNanos(System.nanoTime() - s.lastFrameNanos()));
        } else if (lastFrameAt != null) {
            lastFrame = Optional.of(lastFrameAt);
        }
        if (s != null && s.lastFrameNanos() != 0) {
            lastFrameAt = lastFrame.get();
        }
        CameraConfig c = config;
        return new CameraStatistics(id, st.state(), st.since(), fps, bitrate, frames, bytes, lastFrame,
                reconnects.get(), Optional.ofNullable(lastError), Optional.ofNullable(newestSegmentEnd),
                c == null ? CameraConfig.DEFAULT_SEGMENT : c.segmentLength());
    }

    // ---- segments (io executor) ----

    private void announce(SegmentWriter.FinishedSegment seg, Codec codec) {
        if (seg.discarded()) {
            return;
        }
        Path path = seg.path();
        long size;
        try {
            size = Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            size = 0;
        }
        if (seg.frames() == 0 || size == 0 || codec == Codec.AUTO) {
            try {
                Files.deleteIfExists(path);
                syncFolder(path.getParent());
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Camera {0}: removing the empty segment {1} failed: {2}", id, path, e.toString());
            }
            storage.abandoned(id, path, "The segment has no video: the stream stopped before its first frame was"
                    + " written.");
            return;
        }
        try {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            syncFolder(path.getParent());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Camera {0}: the segment {1} could not be synced to disk: {2}", id, path,
                    e.getMessage());
        }
        if (!seg.complete()) {
            LOG.log(Level.INFO, "Camera {0}: the segment {1} was not finished by the muxer; it ends with its last"
                    + " complete fragment.", id, path);
        }
        Instant end = seg.end().isBefore(seg.start()) ? seg.start() : seg.end();
        ClosedSegment closedSegment = new ClosedSegment(id, path, seg.start(), end, seg.frames(), size, codec);
        newestSegmentEnd = end;
        segmentsClosed.incrementAndGet();
        storage.closed(closedSegment);
    }

    private static void syncFolder(Path folder) throws IOException {
        if (folder == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    // ---- live view (strand) ----

    private void liveChanged() {
        if (closed) {
            return;
        }
        manageSub();
        if (sub != null && sub.isReceiving()) {
            attachViewers(sub, false);
        }
        if (session != null && session.isReceiving()) {
            attachViewers(session, true);
        }
    }

    /** Whether a group is fed by the main (recording) pipeline: it asked for the main stream, or there is no other. */
    private boolean onMain(LiveViewers.Group g) {
        CameraConfig c = config;
        return g.size.main() || c == null || c.subUrl().isEmpty();
    }

    /** Attaches the groups fed by {@code s} ({@code main}: the main pipeline; else the sub-stream's) to it. */
    private void attachViewers(CameraSession s, boolean main) {
        for (LiveViewers.Group g : viewers.groups()) {
            if (onMain(g) != main || g.branch != null && g.session == s) {
                continue;
            }
            if (g.branch != null) {
                g.session.detachLive(g.branch);
            }
            g.branch = s.attachLive(g.size.width(), g.size.height(), g::deliver).orElse(null);
            g.session = g.branch == null ? null : s;
        }
    }

    /** The pipeline {@code s} is gone: its branches went with it. */
    private void detachedFrom(CameraSession s) {
        for (LiveViewers.Group g : viewers.groups()) {
            if (g.session == s) {
                g.branch = null;
                g.session = null;
            }
        }
    }

    private void dropLiveBranches(CameraSession s) {
        for (LiveViewers.Group g : viewers.groups()) {
            if (g.session == s && g.branch != null) {
                s.detachLive(g.branch);
                g.branch = null;
                g.session = null;
            }
        }
    }

    /** The sub-stream pipeline runs while someone watches a camera that has one. */
    private void manageSub() {
        CameraConfig c = config;
        boolean wanted = !closed && mode.records() && c != null && c.enabled() && c.subUrl().isPresent()
                && viewers.wantsPreview() && missingElements.isEmpty();
        if (!wanted) {
            stopSub();
            return;
        }
        if (sub == null && subRetry == null) {
            CameraSession.Plan plan = new CameraSession.Plan(id, "sub", c.subUrl().get(), c.transport(), Codec.AUTO,
                    false, this::segmentLength, FRAGMENT_MILLIS, (start, container) -> {
                        throw new IllegalStateException("the sub-stream is not recorded");
                    }, connectTimeout(c), clock);
            try {
                sub = CameraSession.open(SESSIONS.incrementAndGet(), plan, codecs, gst, scheduler, subEvents);
            } catch (MissingElementException | RuntimeException e) {
                LOG.log(Level.INFO, "Camera {0}: the sub-stream cannot be opened: {1}", id, e.getMessage());
                scheduleSubRetry();
            }
        }
    }

    private void stopSub() {
        if (subRetry != null) {
            subRetry.cancel(false);
            subRetry = null;
        }
        CameraSession s = sub;
        if (s != null) {
            sub = null;
            stopLater(s);
            detachedFrom(s);
            if (session != null && session.isReceiving()) {
                attachViewers(session, true); // a sub-stream no longer configured: its viewers move to the main one
            }
        }
    }

    private void scheduleSubRetry() {
        subRetry = scheduler.schedule("camera " + id + " sub-stream reconnect", () -> strand.execute(() -> {
            subRetry = null;
            manageSub();
        }), subBackoff.next());
    }

    private final CameraSession.Events subEvents = new CameraSession.Events() {
        @Override
        public void receiving(CameraSession s) {
            strand.execute(() -> {
                if (s == sub) {
                    subBackoff.reset();
                    attachViewers(s, false);
                }
            });
        }

        @Override
        public void failed(CameraSession s, Failure failure) {
            strand.execute(() -> {
                if (s != sub) {
                    stopLater(s);
                    return;
                }
                LOG.log(Level.INFO, "Camera {0}: the sub-stream for live view stopped: {1}", id, failure.reason());
                sub = null;
                stopLater(s);
                detachedFrom(s);
                if (!closed && viewers.wantsPreview()) {
                    scheduleSubRetry();
                }
            });
        }

        @Override
        public void segmentFinished(CameraSession s, SegmentWriter.FinishedSegment segment) {
            // the sub-stream records nothing
        }

        @Override
        public void audioSkipped(CameraSession s, String encoding) {
            // the sub-stream's audio is not used
        }

        @Override
        public void liveFailed(CameraSession s, String reason) {
            strand.execute(() -> dropLiveBranches(s));
        }
    };

    // ---- status ----

    private void publish(CameraState state, Optional<String> reason) {
        CameraStatus old = status;
        if (old.state() == state && old.reason().equals(reason)) {
            return;
        }
        CameraStatus now = new CameraStatus(id, state, Instant.now(), reason);
        status = now;
        statistics = snapshot();
        if (reason.isPresent()) {
            LOG.log(Level.INFO, "Camera {0}: {1}: {2}", id, state, reason.get());
        } else {
            LOG.log(Level.INFO, "Camera {0}: {1}.", id, state);
        }
        for (CameraStatusListener l : listeners) {
            notify(l, now);
        }
    }

    private void notify(CameraStatusListener l, CameraStatus s) {
        try {
            l.statusChanged(s);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A camera status listener failed: " + e, e);
        }
    }

    // ---- helpers ----

    /** The camera id from the configuration, else from its PID ({@code org.vigil.camera~<id>}). */
    static String idOf(Map<String, Object> properties) {
        Object id = properties.get(CameraProperties.ID);
        if (id instanceof String s && !s.isBlank()) {
            return s.strip();
        }
        Object pid = properties.get(Constants.SERVICE_PID);
        if (pid instanceof String p) {
            Optional<String> fromPid = CameraProperties.idOfPid(p);
            if (fromPid.isPresent()) {
                return fromPid.get();
            }
        }
        return "unnamed-" + Integer.toHexString(System.identityHashCode(properties));
    }

    private static void close(Registration r) {
        try {
            r.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Closing a watch failed: {0}", e.toString());
        }
    }

    @Override
    public String toString() {
        CameraConfig c = config;
        return "CameraSupervisor[" + id + ", " + status.state() + (c == null ? "" : ", " + CameraUrls.mask(c.url()))
                + "]";
    }
}
