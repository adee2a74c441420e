package org.vigil.playback.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Format;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.event.SeekEvent;
import org.freedesktop.gstreamer.event.SeekFlags;
import org.freedesktop.gstreamer.event.SeekType;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.Snapshot;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.MissingElementException;
import org.vigil.gst.Samples;

/**
 * Writes one recorded frame as a picture at the recording's own size: a short-lived pipeline
 * {@code appsrc ! parse ! decode ! videoconvert ! pngenc|jpegenc ! appsink} positioned (accurately) on the frame, the
 * first encoded picture written to a temporary file that takes its final name only when complete. Nothing waits on a
 * thread: the picture's arrival completes the stage and the release runs on the scheduler.
 */
final class SnapshotMaker {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = System.getLogger(SnapshotMaker.class.getName());

    private final GstRuntime gst;
    private final Scheduler scheduler;
    private final Recordings recordings;
    private final Set<CompletableFuture<Snapshot>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SnapshotMaker(GstRuntime gst, Scheduler scheduler, Recordings recordings) {
        this.gst = gst;
        this.scheduler = scheduler;
        this.recordings = recordings;
    }

    CompletionStage<Snapshot> take(String cameraId, Instant at, Path out, ImageFormat format) {
        CompletableFuture<Snapshot> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new PlaybackException("Playback is stopping; no snapshot was taken."));
            return result;
        }
        inFlight.add(result);
        result.whenComplete((s, e) -> inFlight.remove(result));
        try {
            scheduler.execute("snapshot " + cameraId, () -> start(cameraId, at, out, format, result));
        } catch (RuntimeException e) {
            result.completeExceptionally(new PlaybackException("Playback is stopping; no snapshot was taken."));
        }
        return result;
    }

    private record Picture(byte[] bytes, int width, int height) {
    }

    private void start(String cameraId, Instant at, Path out, ImageFormat format, CompletableFuture<Snapshot> result) {
        Path folder = out.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            result.completeExceptionally(new PlaybackException("The folder " + folder + " does not exist; choose"
                    + " an existing folder for the picture."));
            return;
        }
        if (Files.isDirectory(out)) {
            result.completeExceptionally(new PlaybackException(out.toAbsolutePath() + " is a folder; give the picture"
                    + " a file name, such as " + out.toAbsolutePath().resolve(cameraId + "." + format.extension())
                    + "."));
            return;
        }
        Feeder feeder = new Feeder(cameraId, recordings, at.minus(Duration.ofDays(1)), new Feeder.Listener() {
            @Override
            public void gap(Instant from, Optional<Instant> until) {
                // one frame: gaps after it do not matter
            }

            @Override
            public void note(PlaybackEvent.Kind kind, Instant time, String message) {
                LOG.log(Level.INFO, "Snapshot of camera {0}: {1}", cameraId, message);
            }

            @Override
            public void formatChange(Instant from, Instant next) {
                // one frame
            }
        }, null);
        Feeder.Location loc = feeder.locate(at);
        if (loc.part().isEmpty() || loc.inGap() || loc.track().isEmpty()) {
            feeder.close();
            String next = loc.part().isPresent() ? " (the next recording starts at "
                    + Times.clock(loc.part().get().start(), recordings.zone()) + ")" : "";
            result.completeExceptionally(new PlaybackException("Camera " + cameraId + " has no recording at "
                    + Times.clock(at, recordings.zone()) + next + "."));
            return;
        }
        Instant frameStart = Times.instant(loc.frameStartNanos());
        ManagedPipeline pipeline;
        try {
            gst.requireElements("appsrc", Codecs.parser(loc.track().get().codec()),
                    Codecs.decoder(loc.track().get().codec()), "videoconvert", encoder(format), "appsink");
            pipeline = gst.parse("snapshot-" + cameraId, "appsrc name=src format=time stream-type=seekable ! "
                    + Codecs.parser(loc.track().get().codec()) + " ! "
                    + Codecs.decoderWithOptions(loc.track().get().codec()) + " ! videoconvert ! "
                    + encoderWithOptions(format) + " ! appsink name=sink sync=false max-buffers=1 emit-signals=true");
        } catch (MissingElementException e) {
            feeder.close();
            result.completeExceptionally(new PlaybackException(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            feeder.close();
            result.completeExceptionally(new PlaybackException("The snapshot pipeline could not be built ("
                    + e.getMessage() + ")."));
            return;
        }
        CompletableFuture<Picture> picture = new CompletableFuture<>();
        AtomicBoolean done = new AtomicBoolean();
        try {
            AppSrc src = pipeline.element("src", AppSrc.class);
            AppSink sink = pipeline.element("sink", AppSink.class);
            Caps caps = new Caps(loc.track().get().caps());
            src.setCaps(caps);
            caps.dispose();
            feeder.format(loc.track().get());
            long origin = feeder.originNanos();
            AppSrc.NEED_DATA need = (el, n) -> {
                if (!done.get()) {
                    feeder.feed(src);
                }
            };
            AppSrc.SEEK_DATA seek = (el, position) -> {
                feeder.seek(position + origin);
                return true;
            };
            src.connect(need);
            src.connect(seek);
            pipeline.own("appsrc", () -> {
                src.disconnect(need);
                src.disconnect(seek);
            });
            pipeline.onNewSample(sink, s -> {
                if (done.compareAndSet(false, true)) {
                    Optional<Picture> p = Samples.pull(s, (c, data, pts) -> picture(c, data));
                    if (p.isPresent()) {
                        picture.complete(p.get());
                    } else {
                        picture.completeExceptionally(new PlaybackException("The frame could not be encoded."));
                    }
                }
                return FlowReturn.EOS;
            });
            pipeline.onError((source, code, message) -> picture.completeExceptionally(new PlaybackException(
                    "The frame of camera " + cameraId + " could not be decoded: " + message + ".")));
            pipeline.onEos(source -> picture.completeExceptionally(new PlaybackException("The recording of camera "
                    + cameraId + " at " + Times.clock(at, recordings.zone()) + " could not be decoded.")));
            pipeline.pipeline().setState(State.READY);
            src.sendEvent(new SeekEvent(1.0, Format.TIME, EnumSet.of(SeekFlags.FLUSH, SeekFlags.ACCURATE),
                    SeekType.SET, Math.max(0, Times.nanos(frameStart) - origin), SeekType.NONE, -1));
            pipeline.play();
        } catch (RuntimeException e) {
            picture.completeExceptionally(e);
        }
        ScheduledFuture<?> timeout = scheduler.schedule("snapshot " + cameraId + " timeout",
                () -> picture.completeExceptionally(new PlaybackException("No picture of camera " + cameraId
                        + " within " + TIMEOUT.toSeconds() + " s.")), TIMEOUT);
        picture.whenComplete((p, e) -> {
            timeout.cancel(false);
            // never release on the streaming thread that delivered the picture
            scheduler.execute("snapshot " + cameraId + " release", () -> {
                pipeline.release(Duration.ZERO);
                feeder.close();
                if (e != null) {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    result.completeExceptionally(cause instanceof PlaybackException ? cause
                            : new PlaybackException("The snapshot failed (" + cause + ")."));
                    return;
                }
                try {
                    long bytes = write(out, p.bytes());
                    result.complete(new Snapshot(cameraId, out, frameStart, p.width(), p.height(), format, bytes));
                } catch (IOException io) {
                    result.completeExceptionally(new PlaybackException("The picture could not be written to " + out
                            + " (" + io.getMessage() + ")."));
                }
            });
        });
    }

    /** Refuses new snapshots and waits (bounded) for those under way to release their pipelines. */
    void close(Duration wait) {
        closed = true;
        long deadline = System.nanoTime() + wait.toNanos();
        for (CompletableFuture<Snapshot> f : List.copyOf(inFlight)) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | CancellationException e) {
                // it ended; its pipeline is released
            } catch (TimeoutException e) {
                LOG.log(Level.WARNING, "A snapshot did not finish within {0} s.", wait.toSeconds());
                return;
            }
        }
    }

    private static String encoder(ImageFormat format) {
        return format == ImageFormat.PNG ? "pngenc" : "jpegenc";
    }

    /**
     * The encoder with its options. JPEG gets RGB: fed YUV, jpegenc would keep video's limited range (black at 16),
     * which JPEG viewers show washed out.
     */
    private static String encoderWithOptions(ImageFormat format) {
        return format == ImageFormat.PNG ? "pngenc compression-level=3"
                : "video/x-raw,format=RGB ! jpegenc quality=90";
    }

    private static Picture picture(Caps caps, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        int w = 0;
        int h = 0;
        if (caps != null && caps.size() > 0) {
            Structure s = caps.getStructure(0);
            w = s.hasIntField("width") ? s.getInteger("width") : 0;
            h = s.hasIntField("height") ? s.getInteger("height") : 0;
        }
        return new Picture(b, w, h);
    }

    /** Writes {@code bytes} to a temporary file next to {@code out}, syncs it, then gives it its name. */
    static long write(Path out, byte[] bytes) throws IOException {
        Path tmp = out.resolveSibling("." + out.getFileName() + ".part");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return bytes.length;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
