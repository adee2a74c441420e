package org.vigil.playback.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.event.SeekEvent;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.event.SeekType;
import org.freedesktop.gstreamer.event.StepEvent;
import org.vigil.api.camera.VideoFrame;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.MissingElementException;
import org.vigil.gst.Samples;
import org.vigil.gst.Teardown;
import org.vigil.playback.internal.media.TrackInfo;

/**
 * The pipeline that plays one camera of a session:
 * {@code appsrc (Feeder) ! parse ! decode ! queue ! videoscale ! videoconvert ! BGRx WxH ! appsink (sync)}. The session
 * drives it (seek, pause, play with a base time it chooses, step) from its executor; frames come back through
 * {@link Events} from GStreamer's streaming threads.
 * <p>
 * A seek is always a flushing, accurate seek to the start of the frame on screen at the requested time, so the
 * decoder starts at the keyframe before it and presents exactly that frame (with its own timestamp, unclipped). The
 * pipeline's start time is disabled: the session sets the base time itself, which is how several cameras show the
 * same instant together.
 */
final class CameraPlayer {
    private static final Logger LOG = System.getLogger(CameraPlayer.class.getName());

    /** What the player reports to its session (from streaming or bus threads: return quickly, never block). */
    interface Events {
        /** The first picture after a seek is ready (paused); {@code frame} is its time, or empty at the end. */
        void ready(CameraPlayer player, long op, Instant frame);

        /** The end of the recordings was reached while positioning: nothing to show. */
        void readyAtEnd(CameraPlayer player, long op);

        /** A frame for the views. */
        void frame(CameraPlayer player, VideoFrame frame, boolean preroll);

        /** The pipeline failed; {@code message} is one sentence. */
        void failed(CameraPlayer player, String message);
    }

    private final String cameraId;
    private final ManagedPipeline pipeline;
    private final AppSrc src;
    private final AppSink sink;
    private final Element size;
    private final Feeder feeder;
    private final TrackInfo track;
    private final Events events;
    private final long origin;

    private volatile int width;
    private volatile int height;
    /** the operation (seek or step) the next preroll belongs to; 0 when none is waiting */
    private volatile long pendingOp;
    private volatile long activeOp;
    private volatile long targetWall;
    private volatile boolean prerollWanted;
    private volatile boolean stepping;
    private volatile VideoFrame heldPreroll;
    private volatile long lastShownPts = -1;
    /** the start of the frame the last seek positions at (wall ns): an earlier preroll is from before the seek */
    private volatile long seekFrameStart = Long.MIN_VALUE;
    private volatile Instant lastShown;
    private volatile boolean released;
    private boolean started;

    private CameraPlayer(String cameraId, ManagedPipeline pipeline, Feeder feeder, TrackInfo track, int width,
            int height, Events events) {
        this.cameraId = cameraId;
        this.pipeline = pipeline;
        this.feeder = feeder;
        this.track = track;
        this.events = events;
        this.width = width;
        this.height = height;
        this.origin = feeder.originNanos();
        this.src = pipeline.element("src", AppSrc.class);
        this.sink = pipeline.element("sink", AppSink.class);
        this.size = pipeline.element("size");
    }

    static String describe(TrackInfo track, int width, int height) {
        return "appsrc name=src format=time stream-type=seekable ! " + Codecs.parser(track.codec()) + " ! "
                + Codecs.decoderWithOptions(track.codec()) + " ! queue max-size-buffers=4 max-size-bytes=0"
                + " max-size-time=0 ! videoscale ! videoconvert ! capsfilter name=size caps-change-mode=delayed caps=\""
                + sizeCaps(width, height) + "\" ! appsink name=sink sync=true qos=true max-buffers=2 emit-signals=true";
    }

    private static String sizeCaps(int width, int height) {
        return "video/x-raw,format=BGRx,width=" + width + ",height=" + height + ",pixel-aspect-ratio=1/1";
    }

    /**
     * Builds the pipeline for frames of {@code track} (READY, nothing flows yet).
     *
     * @throws MissingElementException when a GStreamer element for this encoding is not installed
     */
    static CameraPlayer create(GstRuntime gst, String name, Feeder feeder, TrackInfo track, int width, int height,
            Events events) throws MissingElementException {
        gst.requireElements(Codecs.playbackElements(track.codec()));
        ManagedPipeline p = gst.parse(name, describe(track, width, height));
        try {
            CameraPlayer player = new CameraPlayer(feeder.cameraId(), p, feeder, track, width, height, events);
            player.connect();
            return player;
        } catch (RuntimeException | Error e) {
            p.release(Duration.ZERO);
            throw e;
        }
    }

    private void connect() {
        Caps caps = new Caps(track.caps());
        src.setCaps(caps);
        caps.dispose();
        feeder.format(track);
        // the session sets the base time itself (several cameras, one instant)
        pipeline.pipeline().setStartTime(-1L);
        pipeline.own("appsrc need-data", connectSource());
        pipeline.onNewPreroll(sink, s -> onPreroll());
        pipeline.onNewSample(sink, s -> onSample());
        pipeline.onError((source, code, message) -> events.failed(this, "Playback of camera " + cameraId
                + " failed: " + message + "."));
        pipeline.pipeline().setState(State.READY);
    }

    private org.vigil.api.platform.Registration connectSource() {
        AppSrc.NEED_DATA need = (el, bytes) -> feed();
        AppSrc.SEEK_DATA seek = (el, position) -> {
            feeder.seek(position + origin);
            activeOp = pendingOp;
            prerollWanted = true;
            stepping = false;
            heldPreroll = null;
            lastShownPts = -1;
            return true;
        };
        src.connect(need);
        src.connect(seek);
        return () -> {
            src.disconnect(need);
            src.disconnect(seek);
        };
    }

    private void feed() {
        if (released) {
            return;
        }
        if (feeder.feed(src) == Feeder.Fed.ENDED && prerollWanted) {
            // nothing to preroll on: the sink prerolls on end-of-stream
            prerollWanted = false;
            events.readyAtEnd(this, activeOp);
        }
    }

    String cameraId() {
        return cameraId;
    }

    TrackInfo track() {
        return track;
    }

    ManagedPipeline pipeline() {
        return pipeline;
    }

    /** The time of the last frame shown (delivered), if any. */
    Instant lastShown() {
        return lastShown;
    }

    // ------------------------------------------------------------------ control (session executor)

    /**
     * Flushing, accurate seek so that the frame starting at {@code frameStart} is shown; a ready event follows. From
     * READY this positions the stream before it starts (the seek is kept by the source until it starts).
     */
    void seek(long op, Instant frameStart, Instant target, double rate) {
        pendingOp = op;
        targetWall = Times.nanos(target);
        seekFrameStart = Times.nanos(frameStart);
        feeder.keyframesOnly(rate > org.vigil.api.playback.PlaybackSession.KEYFRAMES_ONLY_ABOVE);
        long position = Math.max(0, Times.nanos(frameStart) - origin);
        EnumSet<SeekFlags> flags = EnumSet.of(SeekFlags.FLUSH, SeekFlags.ACCURATE);
        SeekEvent seek = new SeekEvent(rate, Format.TIME, flags, SeekType.SET, position, SeekType.NONE, -1);
        if (!started) {
            // the source keeps the seek and performs it when it starts: no first picture decoded in vain
            started = true;
            src.sendEvent(seek);
            pipeline.pause();
        } else {
            pipeline.pause();
            if (!pipeline.pipeline().sendEvent(seek)) {
                LOG.log(Level.DEBUG, "Camera {0}: the seek to {1} was refused.", cameraId, frameStart);
            }
        }
    }

    /** Plays with {@code baseTime}: the frame at running time r is shown at clock time baseTime + r. */
    void play(long baseTime) {
        pipeline.pipeline().setBaseTime(baseTime);
        pipeline.play();
    }

    void pause() {
        pipeline.pause();
    }

    /**
     * Shows the next frame while paused: the frame the sink holds after a pause (not shown yet), or the one after the
     * frame on screen. A ready event follows.
     */
    void step(long op) {
        VideoFrame held = heldPreroll;
        if (held != null) {
            heldPreroll = null;
            show(held, true);
            events.ready(this, op, held.time());
            return;
        }
        pendingOp = op;
        activeOp = op;
        stepping = true;
        pipeline.pipeline().sendEvent(new StepEvent(Format.BUFFERS, 1, 1.0, true, false));
    }

    /** Changes the picture size of the frames that follow. */
    void resize(int w, int h) {
        width = w;
        height = h;
        Caps caps = new Caps(sizeCaps(w, h));
        size.set("caps", caps);
        caps.dispose();
    }

    /**
     * Releases everything at once: NULL, every listener disconnected, every proxy disposed, files closed. From the
     * session's executor, never a streaming thread. Idempotent.
     */
    Teardown release() {
        released = true;
        Teardown t = pipeline.release(Duration.ZERO);
        feeder.close();
        return t;
    }

    // ------------------------------------------------------------------ frames (streaming threads)

    private FlowReturn onPreroll() {
        Sample s = sink.pullPreroll();
        if (s == null) {
            return FlowReturn.OK;
        }
        VideoFrame f = Samples.read(s, this::copy);
        if (f == null) {
            return FlowReturn.OK;
        }
        if (stepping) {
            stepping = false;
            show(f, true);
            events.ready(this, activeOp, f.time());
        } else if (prerollWanted) {
            if (Times.nanos(f.time()) < seekFrameStart) {
                // the sink's picture from before the seek, pulled while it flushed; the seek's own preroll follows
                return FlowReturn.OK;
            }
            prerollWanted = false;
            // the frame on screen at the target, or (in a gap) the first one after it, shown when its time comes
            if (Times.nanos(f.time()) <= targetWall) {
                show(f, true);
            } else {
                heldPreroll = f;
            }
            events.ready(this, activeOp, f.time());
        } else {
            // paused while playing: the sink holds the next frame; a step shows it
            heldPreroll = f;
        }
        return FlowReturn.OK;
    }

    private FlowReturn onSample() {
        Sample s = sink.pullSample();
        if (s == null) {
            return FlowReturn.OK;
        }
        VideoFrame f = Samples.read(s, this::copy);
        if (f != null) {
            heldPreroll = null;
            long pts = Times.nanos(f.time());
            if (pts != lastShownPts) {
                show(f, false);
            }
        }
        return FlowReturn.OK;
    }

    private void show(VideoFrame f, boolean preroll) {
        lastShownPts = Times.nanos(f.time());
        lastShown = f.time();
        events.frame(this, f, preroll);
    }

    private VideoFrame copy(Caps caps, ByteBuffer data, long pts) {
        int w = width;
        int h = height;
        if (data.remaining() != w * h * 4 && caps != null) {
            Structure st = caps.getStructure(0);
            w = st.getInteger("width");
            h = st.getInteger("height");
        }
        int stride = w * 4;
        if (pts < 0 || data.remaining() < stride * h) {
            return null;
        }
        byte[] pixels = new byte[stride * h];
        data.get(pixels);
        return new VideoFrame(cameraId, w, h, stride, ByteBuffer.wrap(pixels).asReadOnlyBuffer(),
                Times.instant(pts + origin));
    }
}
