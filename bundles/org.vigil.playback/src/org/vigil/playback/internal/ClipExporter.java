package org.vigil.playback.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobTask;
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackException;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.ManagedPipeline;
import org.vigil.gst.Teardown;
import org.vigil.playback.internal.media.TrackInfo;

/**
 * Exports a clip without re-encoding: the feeder reads the frames of every recording in the range (from the keyframe
 * at or before its start) and this job pushes them, as fast as the muxer takes them, into
 * {@code appsrc ! mp4mux ! filesink} (Matroska for MJPEG). Stretches without recording are left out of the clip and
 * listed in the report. The file is written under a temporary name, synced, and renamed only when complete; a cancel
 * or a failure leaves nothing behind (lifecycle rule 2). The job checks its cancel flag for every frame.
 */
final class ClipExporter implements JobTask<ExportReport> {
    static final Duration EOS_WAIT = Duration.ofSeconds(60);
    private static final long PROGRESS_BYTES = 1L << 20;
    private static final Logger LOG = System.getLogger(ClipExporter.class.getName());

    private final GstRuntime gst;
    private final Recordings recordings;
    private final ExportRequest request;
    private final TrackInfo track;
    private final long estimatedBytes;
    private final int estimatedSegments;

    ClipExporter(GstRuntime gst, Recordings recordings, ExportRequest request, TrackInfo track, long estimatedBytes,
            int estimatedSegments) {
        this.gst = gst;
        this.recordings = recordings;
        this.request = request;
        this.track = track;
        this.estimatedBytes = estimatedBytes;
        this.estimatedSegments = estimatedSegments;
    }

    @Override
    public ExportReport run(JobContext ctx) throws Exception {
        long t0 = System.nanoTime();
        Path out = request.out().toAbsolutePath();
        Path tmp = out.resolveSibling("." + out.getFileName() + ".part");
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        String camera = request.cameraId();
        Feeder feeder = new Feeder(camera, recordings, request.from().minus(Duration.ofDays(1)), new Feeder.Listener() {
            @Override
            public void gap(Instant from, Optional<Instant> until) {
                if (until.isPresent() && until.get().isBefore(request.to())) {
                    notes.add("No recording from " + Times.clock(from, recordings.zone()) + " to "
                            + Times.clock(until.get(), recordings.zone()) + "; the clip leaves it out.");
                }
            }

            @Override
            public void note(PlaybackEvent.Kind kind, Instant time, String message) {
                notes.add(message);
            }

            @Override
            public void formatChange(Instant from, Instant at) {
                notes.add("The recordings from " + Times.clock(at, recordings.zone()) + " on are in another encoding;"
                        + " the clip ends there. Export them separately.");
            }
        }, null);
        ManagedPipeline pipeline = null;
        boolean complete = false;
        try {
            ctx.progress("preparing", 0, estimatedBytes, "bytes", 0, estimatedSegments);
            feeder.format(track);
            feeder.compressGaps(true);
            feeder.stopAt(request.to());
            Feeder.Location loc = feeder.locate(request.from());
            if (loc.part().isEmpty() || !loc.part().get().start().isBefore(request.to())) {
                throw new PlaybackException("Camera " + camera + " has no recording between "
                        + Times.clock(request.from(), recordings.zone()) + " and "
                        + Times.clock(request.to(), recordings.zone()) + ".");
            }
            feeder.seek(loc.inGap() ? loc.frameStartNanos() : Times.nanos(request.from()));

            Files.deleteIfExists(tmp);
            // linked to the muxer's video pad by name: the source's caps are set only after parsing
            pipeline = gst.parse("export-" + camera, Codecs.exportMuxer(track.codec()) + " name=mux ! filesink"
                    + " name=file sync=false async=false appsrc name=src format=time block=true max-bytes=8388608"
                    + " ! mux.video_0");
            AppSrc src = pipeline.element("src", AppSrc.class);
            pipeline.element("file").set("location", tmp.toString());
            Caps caps = new Caps(track.caps());
            src.setCaps(caps);
            caps.dispose();
            CountDownLatch finished = new CountDownLatch(1);
            AtomicReference<String> error = new AtomicReference<>();
            pipeline.onEos(source -> finished.countDown());
            pipeline.onError((source, code, message) -> {
                error.compareAndSet(null, message);
                finished.countDown();
            });
            pipeline.play();

            ctx.progress("exporting", 0, estimatedBytes, "bytes", 0, estimatedSegments);
            long reported = 0;
            while (true) {
                ctx.checkCancelled();
                if (error.get() != null) {
                    break;
                }
                Feeder.Fed fed = feeder.feed(src);
                if (fed != Feeder.Fed.PUSHED) {
                    break;
                }
                long done = feeder.bytesPushed();
                if (done - reported >= PROGRESS_BYTES) {
                    reported = done;
                    ctx.progress("exporting", done, Math.max(estimatedBytes, done), "bytes", feeder.partsUsed(),
                            Math.max(estimatedSegments, feeder.partsUsed()));
                }
            }
            ctx.progress("finishing", feeder.bytesPushed(), Math.max(estimatedBytes, feeder.bytesPushed()), "bytes",
                    feeder.partsUsed(), Math.max(estimatedSegments, feeder.partsUsed()));
            // the muxer writes its index at end-of-stream; wait for it, checking the cancel flag meanwhile
            long deadline = System.nanoTime() + EOS_WAIT.toNanos();
            while (!finished.await(200, TimeUnit.MILLISECONDS)) {
                ctx.checkCancelled();
                if (System.nanoTime() > deadline) {
                    throw new PlaybackException("The clip could not be finished: the muxer did not complete within "
                            + EOS_WAIT.toSeconds() + " s.");
                }
            }
            if (error.get() != null) {
                throw new PlaybackException("The clip could not be written: " + error.get() + ".");
            }
            Teardown t = pipeline.release(Duration.ZERO);
            pipeline = null;
            if (!t.reachedNull()) {
                LOG.log(Level.WARNING, "Export of camera {0}: the pipeline did not stop cleanly: {1}", camera, t);
            }
            if (feeder.pushed() == 0) {
                throw new PlaybackException("Camera " + camera + " has no playable recording between "
                        + Times.clock(request.from(), recordings.zone()) + " and "
                        + Times.clock(request.to(), recordings.zone()) + ".");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            publish(tmp, out);
            complete = true;
            Instant first = feeder.firstFed().orElse(request.from());
            Instant end = feeder.endFed().orElse(first);
            Duration duration = Duration.between(first, end).minusNanos(feeder.gapsLeftOut());
            long bytes = Files.size(out);
            ctx.progress("done", bytes, bytes, "bytes", feeder.partsUsed(), feeder.partsUsed());
            return new ExportReport(camera, out, first, end, duration, feeder.pushed(), bytes, feeder.partsUsed(),
                    notes, Duration.ofNanos(System.nanoTime() - t0));
        } catch (CancellationException e) {
            LOG.log(Level.INFO, "Export of camera {0} to {1} cancelled; nothing was left behind.", camera, out);
            throw e;
        } finally {
            if (pipeline != null) {
                pipeline.release(Duration.ZERO);
            }
            feeder.close();
            if (!complete) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "The unfinished clip {0} could not be removed: {1}", tmp, e.toString());
                }
            }
        }
    }

    private void publish(Path tmp, Path out) throws IOException, PlaybackException {
        if (!request.overwrite() && Files.exists(out)) {
            throw new PlaybackException("The file " + out + " exists; choose another name or allow replacing it.");
        }
        try {
            if (request.overwrite()) {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out);
        } catch (FileAlreadyExistsException e) {
            throw new PlaybackException("The file " + out + " exists; choose another name or allow replacing it.");
        }
        Path dir = out.getParent();
        if (dir != null) {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException e) {
                // some file systems cannot sync a folder; the file itself is synced
            }
        }
    }
}
