package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.freedesktop.gstreamer.glib.Natives;
import org.freedesktop.gstreamer.message.Message;
import org.freedesktop.gstreamer.message.MessageType;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.Transport;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.camera.VideoFrame;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.MissingElementException;
import org.vigil.gst.Teardown;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * One connection to a camera: one pipeline, built new for every attempt (a pipeline holding recorded files is never
 * reused: docs/GSTREAMER.md, seed S16).
 *
 * <pre>
 * rtspsrc -(video)-> depay ! parse ! caps ! tee -+-> queue ! [SegmentWriter: mux ! filesink per segment]
 *                                                +-> live branches (while someone watches)
 *         -(AAC)--> depay ! aacparse ! caps ! queue ---^ (when recording)
 * </pre>
 * The codec plugin is chosen when the camera describes its streams (rtspsrc {@code select-stream}): by the
 * camera's codec setting, or with {@code auto} by the stream's RTP encoding name. Everything the session learns is
 * reported through {@link Events}, from GStreamer's threads: the receiver hands it to its own executor.
 */
final class CameraSession {
    /** rtspsrc's jitter buffer: enough for a LAN camera over TCP. */
    static final int LATENCY_MS = 200;
    static final Duration TEARDOWN_TIMEOUT = Duration.ofMillis(200);
    private static final Logger LOG = System.getLogger(CameraSession.class.getName());
    /** Sessions whose pipeline is built and not released yet, in this class loader (diagnostics, leak tests). */
    private static final Set<CameraSession> UNRELEASED = ConcurrentHashMap.newKeySet();

    /** What the session tells its owner. Calls come from GStreamer's threads or the scheduler: return at once. */
    interface Events {
        /** The first video frame arrived. */
        void receiving(CameraSession session);

        /** The stream cannot go on; the first failure of a session is reported, later ones are not. */
        void failed(CameraSession session, Failure failure);

        /** A segment file is finished (or was left by a stop). */
        void segmentFinished(CameraSession session, SegmentWriter.FinishedSegment segment);

        /** The camera has audio that is not recorded (not AAC). */
        void audioSkipped(CameraSession session, String encoding);

        /** A live branch failed and was removed; its viewers wait for the next attach. */
        void liveFailed(CameraSession session, String reason);

        /** The first segment file of the session was opened for writing. */
        default void writing(CameraSession session) {
        }
    }

    /**
     * What to connect to and what to do with it.
     *
     * @param record   write segments (otherwise only stream, for the live view)
     * @param role     {@code main} or {@code sub} (the sub-stream for live view), in names and logs
     * @param clock    the wall clock segments are named by (its zone decides the day folders and midnight)
     */
    record Plan(String cameraId, String role, String url, Transport transport, Codec codec, boolean record,
            Supplier<Duration> segmentLength, int fragmentMillis, SegmentWriter.Target target,
            Duration connectTimeout, Clock clock) {
    }

    /** {@code gboolean (*)(GstElement *rtspsrc, guint num, GstCaps *caps, gpointer udata)}. */
    public interface SelectStream extends Callback {
        boolean select(Pointer rtspsrc, int num, Pointer caps, Pointer userData);
    }

    private final int number;
    private final Plan plan;
    private final CodecPlugins codecs;
    private final GstRuntime gst;
    private final Events events;
    private final ManagedPipeline pipeline;
    private final Element tee;
    private final Pad teeSink;
    private final SegmentWriter writer;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final AtomicBoolean accounted = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final List<LiveBranch> branches = new ArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile long lastFrameNanos;
    private volatile CodecPlugin plugin;
    private volatile boolean videoOffered;
    private volatile boolean videoLinked;
    private volatile boolean audioChosen;
    private volatile String audio;
    private volatile String videoEncoding;
    private volatile Pad audioQueueSink;
    private int liveCount;
    private final SelectStream selectStream = this::selectStream;

    private CameraSession(int number, Plan plan, CodecPlugins codecs, GstRuntime gst, Scheduler scheduler,
            Events events) throws MissingElementException {
        this.number = number;
        this.plan = plan;
        this.codecs = codecs;
        this.gst = gst;
        this.events = events;
        this.pipeline = gst.parse(name(), describe(plan));
        boolean built = false;
        try {
            Element src = pipeline.element("src");
            src.set("location", plan.url());
            tee = pipeline.element("vtee");
            teeSink = pipeline.staticPad(tee, "sink");
            pipeline.onMessage((bus, message) -> onMessage(message));
            pipeline.onSignal(src, "select-stream", SelectStream.class, selectStream, selectStream);
            pipeline.onPadAdded(src, (element, pad) -> onPadAdded(pad));
            pipeline.onNoMorePads(src, element -> onNoMorePads());
            PadProbe counter = PadProbe.add(teeSink, GstNative.PROBE_BUFFER | GstNative.PROBE_EVENT_DOWNSTREAM,
                    (pad, info, data) -> onVideoInput(info));
            pipeline.own("frame counter", counter);
            if (plan.record()) {
                Element queue = pipeline.element("recq");
                Pad queueSource = pipeline.staticPad(queue, "src");
                SegmentWriter w = new SegmentWriter(name(), pipeline, queueSource, plan.fragmentMillis(), plan.segmentLength(), plan.target(), new SegmentWriter.Events() {
                            @Override
                            public void segmentFinished(SegmentWriter.FinishedSegment segment) {
                                events.segmentFinished(CameraSession.this, segment);
                            }

                            @Override
                            public void storageRefused(String reason) {
                                fail(Failure.storage(reason));
                            }

                            @Override
                            public void fileOpened(java.nio.file.Path path) {
                                if (writing.compareAndSet(false, true)) {
                                    events.writing(CameraSession.this);
                                }
                            }
                        }, scheduler, plan.clock());
                pipeline.own("segment writer", w);
                writer = w;
            } else {
                writer = null;
            }
            pipeline.own("live branches", this::releaseBranches);
            built = true;
            UNRELEASED.add(this);
        } finally {
            if (!built) {
                pipeline.release(Duration.ZERO);
            }
        }
    }

    /** Builds the pipeline and starts connecting. */
    static CameraSession open(int number, Plan plan, CodecPlugins codecs, GstRuntime gst, Scheduler scheduler,
            Events events) throws MissingElementException {
        CameraSession s = new CameraSession(number, plan, codecs, gst, scheduler, events);
        s.pipeline.play();
        return s;
    }

    /** The static part of the pipeline; the codec chains are added when the camera says what it sends. */
    static String describe(Plan plan) {
        StringBuilder d = new StringBuilder("rtspsrc name=src latency=").append(LATENCY_MS)
                .append(" protocols=").append(plan.transport() == Transport.UDP ? "udp" : "tcp")
                .append(" tcp-timeout=").append(plan.connectTimeout().toNanos() / 1000)
                .append(" teardown-timeout=").append(TEARDOWN_TIMEOUT.toNanos());
        if (plan.transport() == Transport.TCP) {
            d.append(" do-retransmission=false");
        }
        d.append(" tee name=vtee allow-not-linked=true");
        if (plan.record()) {
            d.append(" vtee. ! queue name=recq max-size-buffers=0 max-size-bytes=0 max-size-time=5000000000");
        }
        return d.toString();
    }

    /** Caps forced after the parser so that the muxer (linked later) and decoders agree on the stream format. */
    static Optional<String> recordingCaps(Codec codec) {
        return switch (codec) {
            case H264 -> Optional.of("video/x-h264,stream-format=avc,alignment=au");
            case H265 -> Optional.of("video/x-h265,stream-format=hvc1,alignment=au");
            default -> Optional.empty();
        };
    }

    String name() {
        return "camera-" + plan.cameraId() + "-" + plan.role() + "-" + number;
    }

    Plan plan() {
        return plan;
    }

    int number() {
        return number;
    }

    /** The codec plugin chosen for the video, once the camera described its streams. */
    Optional<CodecPlugin> plugin() {
        return Optional.ofNullable(plugin);
    }

    boolean isReceiving() {
        return receiving.get();
    }

    /** The RTP encoding name of the video the camera described ({@code H264}); empty before it did. */
    Optional<String> videoEncoding() {
        return Optional.ofNullable(videoEncoding).filter(e -> !e.isEmpty());
    }

    /** The first audio stream the camera described: {@code AAC} or its RTP encoding name; empty without audio. */
    Optional<String> audio() {
        return Optional.ofNullable(audio).filter(a -> !a.isEmpty());
    }

    /** Picture size and frame rate (0 when not known) as the parser describes the video at the tee. */
    record VideoFormat(int width, int height, double fps) {
    }

    /** The format of the video reaching the tee; empty before the first frame or when the parser says nothing. */
    Optional<VideoFormat> videoFormat() {
        if (pipeline.isReleased()) {
            return Optional.empty();
        }
        Caps caps = teeSink.getCurrentCaps();
        if (caps == null) {
            return Optional.empty();
        }
        try {
            if (caps.size() == 0) {
                return Optional.empty();
            }
            Structure s = caps.getStructure(0);
            int w = s.hasField("width") ? s.getInteger("width") : 0;
            int h = s.hasField("height") ? s.getInteger("height") : 0;
            double fps = 0;
            if (s.hasField("framerate")) {
                org.freedesktop.gstreamer.Fraction f = s.getFraction("framerate");
                fps = f.getDenominator() > 0 ? f.toDouble() : 0;
            }
            return Optional.of(new VideoFormat(w, h, fps));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "{0}: reading the video format failed: {1}", name(), e.toString());
            return Optional.empty();
        } finally {
            caps.dispose();
        }
    }

    boolean isStopping() {
        return stopping.get();
    }

    long startedNanos() {
        return startedNanos;
    }

    /** When the newest video frame arrived ({@link System#nanoTime()}), 0 before the first. */
    long lastFrameNanos() {
        return lastFrameNanos;
    }

    long frames() {
        return frames.get();
    }

    /** Marks the session's counts as added to the camera's totals; true the first time. */
    boolean markAccounted() {
        return accounted.compareAndSet(false, true);
    }

    boolean isAccounted() {
        return accounted.get();
    }

    long bytes() {
        return bytes.get();
    }

    Optional<SegmentWriter> writer() {
        return Optional.ofNullable(writer);
    }

    /** Bus listeners, signal handlers and probes connected now (they must not grow over a session's life). */
    int connectedListeners() {
        return pipeline.connectedListeners();
    }

    /** Live branches attached now. */
    int liveBranches() {
        synchronized (branches) {
            return branches.size();
        }
    }

    // ---- streams ----

    private boolean selectStream(Pointer src, int num, Pointer caps, Pointer userData) {
        try {
            String media = GstNative.capsString(caps, "media");
            String encoding = upper(GstNative.capsString(caps, "encoding-name"));
            if ("video".equals(media)) {
                return selectVideo(encoding);
            }
            if ("audio".equals(media)) {
                if (audio == null) {
                    audio = isAac(encoding, GstNative.capsString(caps, "mode")) ? "AAC" : encoding;
                }
                if (writer != null && isAac(encoding, GstNative.capsString(caps, "mode")) && !audioChosen) {
                    audioChosen = true;
                    writer.expectAudio();
                    return true;
                }
                events.audioSkipped(this, encoding);
                return false;
            }
            return false;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "{0}: choosing streams failed: {1}", name(), e.toString());
            return false;
        }
    }

    private boolean selectVideo(String encoding) {
        if (videoOffered) {
            return false; // one video stream is recorded
        }
        videoOffered = true;
        videoEncoding = encoding;
        Optional<CodecPlugin> chosen;
        if (plan.codec() == Codec.AUTO) {
            chosen = codecs.forEncoding(encoding);
            if (chosen.isEmpty()) {
                fail(Failure.noPlugin(encoding));
                return false;
            }
        } else {
            chosen = codecs.forCodec(plan.codec());
            if (chosen.isEmpty()) {
                fail(Failure.noPlugin(plan.codec().name()));
                return false;
            }
            if (!chosen.get().rtpEncodingName().equalsIgnoreCase(encoding)) {
                fail(Failure.codecMismatch(plan.codec().name(), encoding));
                return false;
            }
        }
        CodecPlugin p = chosen.get();
        List<String> needed = new ArrayList<>();
        needed.add(p.depayloader());
        p.parser().ifPresent(needed::add);
        needed.add(p.container().muxer());
        try {
            gst.requireElements(needed);
        } catch (MissingElementException e) {
            fail(Failure.permanent(e.getMessage()));
            return false;
        }
        if (writer != null) {
            writer.useContainer(p.container());
        }
        plugin = p;
        return true;
    }

    static boolean isAac(String encoding, String mode) {
        if ("MP4A-LATM".equals(encoding)) {
            return true;
        }
        return "MPEG4-GENERIC".equals(encoding) && mode != null && mode.toLowerCase(Locale.ROOT).startsWith("aac");
    }

    private void onPadAdded(Pad pad) {
        pipeline.track(pad);
        if (failed.get() || stopping.get()) {
            drain(pad);
            return;
        }
        try {
            Caps caps = pad.getCurrentCaps();
            String media = null;
            String encoding = null;
            if (caps != null) {
                Structure s = caps.getStructure(0);
                media = s.getString("media");
                encoding = upper(s.getString("encoding-name"));
                caps.dispose();
            }
            CodecPlugin p = plugin;
            if ("video".equals(media) && p != null && !videoLinked) {
                linkVideo(pad, p);
            } else if ("audio".equals(media) && audioChosen && writer != null && audioQueueSink == null) {
                linkAudio(pad, encoding);
            } else {
                drain(pad);
            }
        } catch (RuntimeException e) {
            fail(Failure.transientFailure("The camera's stream could not be connected inside Vigil: " + e + "."));
        }
    }

    private void linkVideo(Pad pad, CodecPlugin p) {
        List<Element> chain = new ArrayList<>();
        chain.add(make(p.depayloader(), "v-depay"));
        p.parser().ifPresent(f -> chain.add(make(f, "v-parse")));
        recordingCaps(p.codec()).ifPresent(c -> {
            Element filter = make("capsfilter", "v-caps");
            filter.setCaps(Caps.fromString(c));
            chain.add(filter);
        });
        for (Element e : chain) {
            pipeline.pipeline().add(e);
        }
        chain.add(tee);
        if (!Element.linkMany(chain.toArray(Element[]::new))) {
            throw new IllegalStateException("linking " + p.depayloader() + " to the recorder failed");
        }
        for (int i = chain.size() - 2; i >= 0; i--) {
            chain.get(i).syncStateWithParent();
        }
        pad.link(pipeline.staticPad(chain.get(0), "sink"));
        videoLinked = true;
    }

    private void linkAudio(Pad pad, String encoding) {
        Element depay = make("MP4A-LATM".equals(encoding) ? "rtpmp4adepay" : "rtpmp4gdepay", "a-depay");
        Element parse = make("aacparse", "a-parse");
        Element filter = make("capsfilter", "a-caps");
        filter.setCaps(Caps.fromString("audio/mpeg,mpegversion=4,stream-format=raw"));
        Element queue = make("queue", "a-queue");
        queue.set("max-size-buffers", 0);
        queue.set("max-size-bytes", 0);
        queue.set("max-size-time", 5_000_000_000L);
        for (Element e : List.of(depay, parse, filter, queue)) {
            pipeline.pipeline().add(e);
        }
        if (!Element.linkMany(depay, parse, filter, queue)) {
            throw new IllegalStateException("linking the AAC depayloader failed");
        }
        writer.addAudio(pipeline.staticPad(queue, "src"));
        audioQueueSink = pipeline.staticPad(queue, "sink");
        for (Element e : List.of(queue, filter, parse, depay)) {
            e.syncStateWithParent();
        }
        pad.link(pipeline.staticPad(depay, "sink"));
    }

    /** A stream nobody uses still needs a sink, or rtspsrc stops with "not linked". */
    private void drain(Pad pad) {
        try {
            Element sink = make("fakesink", null);
            sink.set("sync", false);
            sink.set("async", false);
            pipeline.pipeline().add(sink);
            sink.syncStateWithParent();
            pad.link(pipeline.staticPad(sink, "sink"));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "{0}: draining an unused stream failed: {1}", name(), e.toString());
        }
    }

    private void onNoMorePads() {
        if (!videoOffered) {
            fail(Failure.noVideo(plan.url()));
        }
    }

    private Element make(String factory, String elementName) {
        return pipeline.track(ElementFactory.make(factory, elementName));
    }

    // ---- frames (tee input, streaming thread) ----

    private int onVideoInput(Pointer info) {
        int type = GstNative.probeType(info);
        if ((type & GstNative.PROBE_BUFFER) != 0) {
            Pointer buffer = GstNative.gst_pad_probe_info_get_buffer(info);
            if (buffer != null) {
                frames.incrementAndGet();
                bytes.addAndGet(GstNative.gst_buffer_get_size(buffer).longValue());
            }
            lastFrameNanos = System.nanoTime();
            if (!receiving.get() && receiving.compareAndSet(false, true)) {
                events.receiving(this);
            }
        } else {
            Pointer event = GstNative.gst_pad_probe_info_get_event(info);
            if (event != null && GstNative.eventType(event) == GstNative.EVENT_EOS && !stopping.get()) {
                fail(Failure.endOfStream(plan.url()));
            }
        }
        return GstNative.PROBE_OK;
    }

    // ---- bus (bus thread: never blocks) ----

    private void onMessage(Message message) {
        try {
            MessageType type = message.getType();
            if (type == MessageType.ERROR || type == MessageType.WARNING) {
                Pointer raw = Natives.getRawPointer(message);
                onProblem(type == MessageType.WARNING, GstNative.parseError(raw, type == MessageType.WARNING),
                        GstNative.messageSourcePath(raw));
            }
        } finally {
            // at once, not when the collector runs: a message holds its source, and the pipeline's own messages
            // would keep the pipeline (and its bus's sockets) alive after release
            message.dispose();
        }
    }

    private void onProblem(boolean warning, GstNative.ErrorDetails e, String path) {
        String source = path.substring(path.lastIndexOf(':') + 1);
        if (warning) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "{0}: warning from {1}: {2} ({3})", name(), path, e.message(), e.debug());
            }
            return;
        }
        if (path.contains(":" + LiveBranch.PREFIX)) {
            LOG.log(Level.INFO, "{0}: the live view failed and was removed: {1}", name(), e.message());
            events.liveFailed(this, e.message());
            return;
        }
        if (stopping.get()) {
            LOG.log(Level.DEBUG, "{0}: error while stopping: {1}", name(), e.message());
            return;
        }
        LOG.log(Level.INFO, "{0}: error from {1}: {2} [{3} {4}] {5}", name(), path, e.message(), e.domain(),
                e.code(), e.debug());
        Failure f = Failure.fromError(e, path.contains(":seg-") ? "seg-" + source : source, plan.url(),
                plan.connectTimeout());
        if (writer != null && f.kind() == Failure.Kind.STORAGE) {
            segmentBin(path).ifPresent(writer::fileFailed);
        }
        if (!videoOffered && f.reason().contains("no stream Vigil can record")) {
            f = Failure.noVideo(plan.url());
        }
        fail(f);
    }

    /** {@code seg-N} of an element path such as {@code /GstPipeline:p/GstBin:seg-2/GstFileSink:seg-2-sink}. */
    static Optional<String> segmentBin(String path) {
        int i = path.indexOf("GstBin:seg-");
        if (i < 0) {
            return Optional.empty();
        }
        int start = i + "GstBin:".length();
        int end = path.indexOf('/', start);
        return Optional.of(end < 0 ? path.substring(start) : path.substring(start, end));
    }

    private void fail(Failure f) {
        if (failed.compareAndSet(false, true)) {
            events.failed(this, f);
        }
    }

    /** Reports a failure found outside the pipeline (the watchdog): once per session, like the others. */
    void failFromOutside(Failure f) {
        fail(f);
    }

    // ---- live view (called on the owner's executor) ----

    /** Attaches a decode branch for {@code width} x {@code height}; empty when the codec is not known yet. */
    Optional<LiveBranch> attachLive(int width, int height, Consumer<VideoFrame> frames) {
        CodecPlugin p = plugin;
        if (p == null || stopping.get() || !videoLinked) {
            return Optional.empty();
        }
        LiveBranch b = new LiveBranch(plan.cameraId(), width, height, frames);
        String binName;
        synchronized (branches) {
            binName = LiveBranch.PREFIX + width + "x" + height + "-" + (++liveCount);
            branches.add(b);
        }
        try {
            b.attach(pipeline.pipeline(), tee, p.decoder(), binName);
            return Optional.of(b);
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "{0}: the live view cannot be attached: {1}", name(), e.toString());
            detachLive(b);
            return Optional.empty();
        }
    }

    /** Detaches and releases {@code branch} (recording goes on). */
    void detachLive(LiveBranch branch) {
        boolean mine;
        synchronized (branches) {
            mine = branches.remove(branch);
        }
        if (mine && !pipeline.isReleased()) {
            branch.detach();
        }
    }

    private void releaseBranches() {
        List<LiveBranch> all;
        synchronized (branches) {
            all = new ArrayList<>(branches);
            branches.clear();
        }
        for (LiveBranch b : all) {
            b.released();
        }
    }

    // ---- stop ----

    /**
     * Stops the session: the open segment gets end-of-stream and is finished (waiting at most {@code eosWait}),
     * then the pipeline is released (NULL, every listener disconnected, every proxy disposed). Idempotent; never
     * throws; call from a scheduler thread, never from GStreamer's threads.
     */
    Teardown stop(Duration eosWait) {
        stopping.set(true);
        try {
            if (writer != null && writer.unfinished() > 0 && !pipeline.isReleased()) {
                teeSink.sendEvent(new EOSEvent());
                Pad audio = audioQueueSink;
                if (audio != null) {
                    audio.sendEvent(new EOSEvent());
                }
                Duration half = eosWait.dividedBy(2);
                if (!writer.awaitFinished(half)) {
                    writer.forceEndOfStream();
                    if (!writer.awaitFinished(half)) {
                        LOG.log(Level.INFO, "{0}: the segment did not finish within {1} ms; it ends with its last "
                                + "complete fragment.", name(), eosWait.toMillis());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, "{0}: end-of-stream failed: {1}", name(), e.toString());
        }
        if (writer != null && !pipeline.isReleased()) {
            writer.releaseFailed();
        }
        try {
            return pipeline.release(Duration.ZERO);
        } finally {
            UNRELEASED.remove(this);
        }
    }

    /** Camera pipelines (recording and sub-stream) built and not released yet, across every camera. */
    static int unreleased() {
        return UNRELEASED.size();
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name();
    }
}
