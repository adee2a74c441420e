package org.vigil.playback.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraId;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.PlaybackOptions;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.playback.PlaybackSession;
import org.vigil.api.playback.Snapshot;
import org.vigil.api.playback.TimeRange;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.gst.GstRuntime;
import org.vigil.playback.internal.media.DamagedRecordingException;
import org.vigil.playback.internal.media.RecordingFile;

/**
 * The playback service: sessions over the recordings catalog, snapshots and clip exports. It owns every session and
 * export it started; deactivation stops them all (each session releases its pipelines at once, exports are cancelled
 * and remove their unfinished file).
 */
@Component(service = PlaybackService.class)
public final class PlaybackServiceImpl implements PlaybackService, Session.Host {
    private static final Logger LOG = System.getLogger(PlaybackServiceImpl.class.getName());
    private static final Duration EXPORT_STOP_WAIT = Duration.ofSeconds(10);

    private final GstRuntime gst;
    private final Scheduler scheduler;
    private final JobRunner jobs;
    private final Recordings recordings;
    private final SnapshotMaker snapshots;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Job<ExportReport>> exports = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile boolean closed;

    @Activate
    public PlaybackServiceImpl(@Reference GstRuntime gst, @Reference RecordingCatalog catalog,
            @Reference Scheduler scheduler, @Reference JobRunner jobs) {
        this(gst, scheduler, jobs, new CatalogRecordings(catalog));
    }

    PlaybackServiceImpl(GstRuntime gst, Scheduler scheduler, JobRunner jobs, Recordings recordings) {
        this.gst = gst;
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.recordings = recordings;
        this.snapshots = new SnapshotMaker(gst, scheduler, recordings);
    }

    @Override
    public PlaybackSession open(List<String> cameraIds, Instant at, PlaybackOptions options) throws PlaybackException {
        return openSession(cameraIds, at, options);
    }

    /** {@link #open} with the implementation type, for tests. */
    Session openSession(List<String> cameraIds, Instant at, PlaybackOptions options) throws PlaybackException {
        if (closed) {
            throw new PlaybackException("Playback is stopping.");
        }
        List<String> cameras = new ArrayList<>(new LinkedHashSet<>(cameraIds));
        if (cameras.isEmpty()) {
            throw new PlaybackException("Name at least one camera to play.");
        }
        if (cameras.size() > MAX_CAMERAS) {
            throw new PlaybackException("At most " + MAX_CAMERAS + " cameras play together, not " + cameras.size()
                    + ".");
        }
        Map<String, Instant> origins = new HashMap<>();
        Instant first = null;
        Instant last = null;
        boolean anyAfter = false;
        for (String c : cameras) {
            if (!CameraId.isValid(c)) {
                throw new PlaybackException("Camera id '" + c + "' is not valid: use 1 to 64 characters of a-z, 0-9,"
                        + " '_' and '-'.");
            }
            Optional<TimeRange> span = recordings.span(c);
            if (span.isEmpty()) {
                if (cameras.size() == 1) {
                    throw new PlaybackException("Camera " + c + " has no recordings.");
                }
                origins.put(c, at.minus(Duration.ofDays(1)));
                continue;
            }
            Instant start = span.get().start();
            origins.put(c, (start.isBefore(at) ? start : at).minus(Duration.ofDays(1)));
            first = first == null || start.isBefore(first) ? start : first;
            last = last == null || span.get().end().isAfter(last) ? span.get().end() : last;
            if (!recordings.from(c, at, 1).isEmpty()) {
                anyAfter = true;
            }
        }
        if (first == null) {
            throw new PlaybackException("None of the cameras " + String.join(", ", cameras) + " has recordings.");
        }
        if (!anyAfter) {
            throw new PlaybackException((cameras.size() == 1 ? "Camera " + cameras.get(0) + " has"
                    : "The cameras have") + " no recording at or after " + Times.clock(at, recordings.zone())
                    + "; the last one ends at " + Times.clock(last, recordings.zone()) + ".");
        }
        Session s = new Session(this, "playback-" + counter.incrementAndGet(), cameras, origins,
                new TimeRange(first, last), options);
        sessions.add(s);
        if (closed) {
            s.close();
            throw new PlaybackException("Playback is stopping.");
        }
        s.start(at, options.play());
        return s;
    }

    @Override
    public CompletionStage<Snapshot> snapshot(String cameraId, Instant at, Path out, ImageFormat format) {
        if (!CameraId.isValid(cameraId)) {
            return CompletableFuture.failedFuture(new PlaybackException("Camera id '" + cameraId + "' is not valid."));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new PlaybackException("Playback is stopping."));
        }
        return snapshots.take(cameraId, at, out, format);
    }

    @Override
    public Job<ExportReport> export(ExportRequest request) throws PlaybackException {
        if (closed) {
            throw new PlaybackException("Playback is stopping.");
        }
        Path out = request.out().toAbsolutePath();
        Path folder = out.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new PlaybackException("The folder " + folder + " does not exist; choose an existing folder for the"
                    + " clip.");
        }
        if (Files.isDirectory(out)) {
            throw new PlaybackException(out + " is a folder; give the clip a file name, such as " + out.resolve("clip.mp4")
                    + ".");
        }
        if (Files.exists(out) && !request.overwrite()) {
            throw new PlaybackException("The file " + out + " exists; choose another name or allow replacing it.");
        }
        List<SegmentRef> parts = new ArrayList<>();
        Instant cursor = request.from();
        while (true) {
            List<SegmentRef> page = recordings.from(request.cameraId(), cursor, 1000);
            boolean more = false;
            for (SegmentRef r : page) {
                if (!r.start().isBefore(request.to())) {
                    break;
                }
                if (parts.isEmpty() || parts.get(parts.size() - 1).id() != r.id()) {
                    parts.add(r);
                    more = true;
                }
            }
            if (!more || page.size() < 1000) {
                break;
            }
            cursor = parts.get(parts.size() - 1).end().minusMillis(1);
        }
        if (parts.isEmpty()) {
            throw new PlaybackException("Camera " + request.cameraId() + " has no recording between "
                    + Times.clock(request.from(), recordings.zone()) + " and "
                    + Times.clock(request.to(), recordings.zone()) + ".");
        }
        org.vigil.playback.internal.media.TrackInfo track = null;
        String why = null;
        for (SegmentRef r : parts) {
            try (RecordingFile f = RecordingFile.open(r.path())) {
                track = f.track();
                break;
            } catch (DamagedRecordingException e) {
                why = "the recording " + r.name() + " cannot be played: " + e.getMessage();
            } catch (java.io.IOException e) {
                why = "the recording " + r.name() + " cannot be read (" + e.getMessage() + ")";
            }
        }
        if (track == null) {
            throw new PlaybackException("Nothing can be exported: " + why + ".");
        }
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ending = dot <= 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
        List<String> endings = Codecs.exportExtensions(track.codec());
        if (Codecs.VIDEO_EXTENSIONS.contains(ending) && !endings.contains(ending)) {
            String container = track.codec() == org.vigil.api.camera.Codec.MJPEG ? "Matroska" : "MP4";
            String codec = switch (track.codec()) {
                case H264 -> "H.264";
                case H265 -> "H.265";
                case MJPEG -> "Motion JPEG";
                default -> track.codec().id();
            };
            throw new PlaybackException("Camera " + request.cameraId() + " records " + codec + ", which is"
                    + " exported as " + container + ": name the clip " + name.substring(0, dot) + endings.get(0)
                    + " rather than " + name + ". Nothing was written.");
        }
        long bytes = 0;
        for (SegmentRef r : parts) {
            long size = 0;
            try {
                size = Files.size(r.path());
            } catch (java.io.IOException e) {
                // reported by the job when it gets there
            }
            long span = Math.max(1, Duration.between(r.start(), r.end()).toMillis());
            Instant a = r.start().isBefore(request.from()) ? request.from() : r.start();
            Instant b = r.end().isAfter(request.to()) ? request.to() : r.end();
            bytes += size * Math.max(0, Duration.between(a, b).toMillis()) / span;
        }
        ClipExporter task = new ClipExporter(gst, recordings, request, track, bytes, parts.size());
        Job<ExportReport> job = jobs.submit("export", "Export of camera " + request.cameraId() + " from "
                + Times.clock(request.from(), recordings.zone()) + " to " + Times.clock(request.to(), recordings.zone())
                + " to " + out.getFileName(), task);
        exports.add(job);
        job.result().whenComplete((r, e) -> exports.remove(job));
        return job;
    }

    // ------------------------------------------------------------------ Session.Host

    @Override
    public GstRuntime gst() {
        return gst;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public Recordings recordings() {
        return recordings;
    }

    @Override
    public void closed(Session session) {
        sessions.remove(session);
    }

    /** Open sessions (for tests and status). */
    int openSessions() {
        return sessions.size();
    }

    /** Stops every session and export; idempotent, never throws. */
    @Deactivate
    void deactivate() {
        closed = true;
        for (Session s : new ArrayList<>(sessions)) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Stopping " + s.name() + " failed: " + e, e);
            }
        }
        sessions.clear();
        snapshots.close(EXPORT_STOP_WAIT);
        List<Job<ExportReport>> running = new ArrayList<>(exports);
        running.forEach(Job::cancel);
        for (Job<ExportReport> j : running) {
            try {
                if (!j.await(EXPORT_STOP_WAIT)) {
                    LOG.log(Level.WARNING, "The export {0} did not stop within {1} s.", j.id(),
                            EXPORT_STOP_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        exports.clear();
    }
}
