package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.MissingElementException;

/**
 * One connection test of a camera URL ({@link org.vigil.api.camera.CameraService#probe}): a {@link CameraSession}
 * of its own that records nothing, built and judged exactly as the recorder's (same codec choice, same failure
 * sentences), with one {@link LiveBranch} for a single picture that fits
 * {@value ProbeResult#SNAPSHOT_WIDTH}x{@value ProbeResult#SNAPSHOT_HEIGHT}. It ends at the first of: a picture
 * (and, when the stream does not state its frame rate, {@link #RATE_WINDOW} of counted frames), a failure, the
 * deadline, or the caller cancelling the future. Its pipeline is released on the probe's serial executor (never on
 * a GStreamer thread) before the result completes; a cancelled probe releases it as soon as the cancel is seen.
 */
final class StreamProbe {
    /** Frames are counted at least this long when the stream does not state its frame rate. */
    static final Duration RATE_WINDOW = Duration.ofSeconds(1);
    static final String CAMERA_ID = "probe";
    private static final Logger LOG = System.getLogger(StreamProbe.class.getName());

    private final int number;
    private final String url;
    private final Transport transport;
    private final Codec codec;
    private final Duration timeout;
    private final CodecPlugins codecs;
    private final GstRuntime gst;
    private final Scheduler scheduler;
    private final Runnable onReleased;
    private final SerialExecutor strand;
    private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    private final AtomicBoolean pictureTaken = new AtomicBoolean();

    // confined to the strand
    private CameraSession session;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> rateCheck;
    private CameraSession.VideoFormat format;
    private VideoFrame snapshot;
    private long firstFrameNanos;
    private boolean ended;

    StreamProbe(int number, String url, Transport transport, Codec codec, Duration timeout, CodecPlugins codecs,
            GstRuntime gst, Scheduler scheduler, Runnable onReleased) {
        this.number = number;
        this.url = url;
        this.transport = transport;
        this.codec = codec;
        this.timeout = timeout;
        this.codecs = codecs;
        this.gst = gst;
        this.scheduler = scheduler;
        this.onReleased = onReleased;
        this.strand = new SerialExecutor(scheduler, "camera probe " + number);
    }

    /** Starts connecting (on the scheduler) and gives the result to come. */
    CompletableFuture<ProbeResult> start() {
        result.whenComplete((r, e) -> {
            if (result.isCancelled() || e != null) {
                strand.execute(() -> end(null)); // cancelled by the caller: release at once
            }
        });
        strand.execute(this::open);
        deadline = scheduler.schedule("camera probe " + number + " deadline", () -> strand.execute(this::timedOut),
                timeout);
        return result;
    }

    /** Stops the probe as if its caller had cancelled it (the recorder is stopping). */
    void cancel() {
        result.cancel(false);
    }

    private void open() {
        if (ended) {
            return;
        }
        if (result.isDone()) {
            end(null);
            return;
        }
        CameraSession.Plan plan = new CameraSession.Plan(CAMERA_ID, "probe", url, transport, codec, false,
                () -> CameraConfig.DEFAULT_SEGMENT, CameraSupervisor.FRAGMENT_MILLIS, (start, container) -> {
                    throw new IllegalStateException("a connection test records nothing");
                }, timeout, Clock.systemDefaultZone());
        try {
            session = CameraSession.open(number, plan, codecs, gst, scheduler, events);
        } catch (MissingElementException e) {
            end(failure(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Connection test " + number + ": the pipeline could not be built: " + e, e);
            end(failure("The test pipeline could not be built: " + e.getMessage()));
        }
    }

    private final CameraSession.Events events = new CameraSession.Events() {
        @Override
        public void receiving(CameraSession s) {
            strand.execute(() -> onReceiving(s));
        }

        @Override
        public void failed(CameraSession s, Failure f) {
            strand.execute(() -> {
                if (s == session) {
                    end(failure(f.reason()));
                }
            });
        }

        @Override
        public void segmentFinished(CameraSession s, SegmentWriter.FinishedSegment segment) {
            // a connection test records nothing
        }

        @Override
        public void audioSkipped(CameraSession s, String encoding) {
            // the session remembers the audio; the result reports it
        }

        @Override
        public void liveFailed(CameraSession s, String reason) {
            strand.execute(() -> {
                if (s == session && !ended) {
                    LOG.log(Level.INFO, "Connection test {0}: decoding a picture failed: {1}", number, reason);
                    end(success());
                }
            });
        }
    };

    private void onReceiving(CameraSession s) {
        if (ended || s != session) {
            return;
        }
        firstFrameNanos = System.nanoTime();
        format = s.videoFormat().orElse(null);
        int[] size = snapshotSize(format);
        Optional<LiveBranch> branch = s.attachLive(size[0], size[1], frame -> {
            if (pictureTaken.compareAndSet(false, true)) {
                strand.execute(() -> onPicture(frame));
            }
        });
        if (branch.isEmpty()) {
            end(success()); // the stream is there; only no picture can be shown
            return;
        }
        if (format == null || format.fps() <= 0) {
            rateCheck = scheduler.schedule("camera probe " + number + " frame rate",
                    () -> strand.execute(this::endWhenReady), RATE_WINDOW);
        }
    }

    private void onPicture(VideoFrame frame) {
        if (ended) {
            return;
        }
        snapshot = frame;
        endWhenReady();
    }

    private void endWhenReady() {
        if (ended || snapshot == null) {
            return;
        }
        boolean rateKnown = format != null && format.fps() > 0;
        if (rateKnown || System.nanoTime() - firstFrameNanos >= RATE_WINDOW.toNanos()) {
            end(success());
        }
    }

    private void timedOut() {
        if (ended) {
            return;
        }
        CameraSession s = session;
        if (s != null && s.isReceiving()) {
            end(success()); // frames came but no picture was decoded in time
        } else if (s != null && s.videoEncoding().isPresent()) {
            end(failure(Failure.noFirstFrame(url, timeout).reason()));
        } else {
            end(failure(Failure.noAnswer(url, timeout).reason()));
        }
    }

    /**
     * Ends the probe: releases its pipeline, then completes the result with {@code outcome} (null: the caller
     * cancelled). Runs once; on the strand.
     */
    private void end(ProbeResult outcome) {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (rateCheck != null) {
                rateCheck.cancel(false);
            }
        } finally {
            CameraSession s = session;
            session = null;
            try {
                if (s != null) {
                    s.stop(Duration.ZERO);
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "Connection test {0}: release failed: {1}", number, e.toString());
            } finally {
                onReleased.run();
                if (outcome != null) {
                    result.complete(outcome);
                }
            }
        }
    }

    private ProbeResult success() {
        CameraSession s = session;
        CameraSession.VideoFormat f = format;
        if (s != null && (f == null || f.width() <= 0)) {
            f = s.videoFormat().orElse(f);
        }
        Optional<CodecPlugin> plugin = s == null ? Optional.empty() : s.plugin();
        double fps = f != null && f.fps() > 0 ? f.fps() : s == null ? 0 : countedRate(s);
        return new ProbeResult(CameraUrls.mask(url), Optional.empty(),
                s == null ? "" : s.videoEncoding().orElse(""), plugin.map(CodecPlugin::codec),
                plugin.map(CodecPlugin::displayName).orElse(""), f == null ? 0 : f.width(), f == null ? 0 : f.height(),
                Optional.of(fps), s == null ? Optional.empty() : s.audio(), Optional.ofNullable(snapshot));
    }

    private ProbeResult failure(String reason) {
        CameraSession s = session;
        if (s == null || s.videoEncoding().isEmpty()) {
            return ProbeResult.failed(url, reason);
        }
        Optional<CodecPlugin> plugin = s.plugin().isPresent() ? s.plugin()
                : codecs.forEncoding(s.videoEncoding().get());
        return new ProbeResult(CameraUrls.mask(url), Optional.of(reason), s.videoEncoding().get(),
                plugin.map(CodecPlugin::codec), plugin.map(CodecPlugin::displayName).orElse(""), 0, 0,
                Optional.empty(), s.audio(), Optional.empty());
    }

    /** Frames per second counted between the first and the newest frame, when enough arrived to tell. */
    private double countedRate(CameraSession s) {
        long frames = s.frames();
        double seconds = (s.lastFrameNanos() - firstFrameNanos) / 1e9;
        return frames >= 3 && seconds >= 0.3 ? Math.round((frames - 1) / seconds * 10) / 10.0 : 0;
    }

    /** The snapshot's size: the picture scaled down (never up) to fit the largest snapshot, even numbers. */
    static int[] snapshotSize(CameraSession.VideoFormat f) {
        if (f == null || f.width() <= 0 || f.height() <= 0) {
            return new int[] { ProbeResult.SNAPSHOT_WIDTH, ProbeResult.SNAPSHOT_HEIGHT };
        }
        double scale = Math.min(1.0, Math.min((double) ProbeResult.SNAPSHOT_WIDTH / f.width(),
                (double) ProbeResult.SNAPSHOT_HEIGHT / f.height()));
        int w = Math.max(2, (int) Math.round(f.width() * scale) & ~1);
        int h = Math.max(2, (int) Math.round(f.height() * scale) & ~1);
        return new int[] { w, h };
    }
}
