package org.vigil.storage.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraId;
import org.vigil.api.codec.Container;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobTask;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.CatalogChange;
import org.vigil.api.storage.CatalogSession;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.RetentionReport;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageStatus;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.api.storage.WriteCheck;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.QueryCancel;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * The recordings storage of an instance: the catalog ({@code catalog.db} in the data directory), the segment
 * announcements of recorders, free space and volume identity, retention, and the deletion, check and import jobs.
 * Storage plugins are used through a dynamic reference: while none is installed recording pauses and closed segments
 * wait, and everything resumes when one returns.
 */
@Component(service = {RecordingCatalog.class, SegmentListener.class, StorageService.class, Retention.class},
        configurationPid = {RecordingConfig.PID, RetentionConfig.PID}, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RecordingStore implements RecordingCatalog, SegmentListener, StorageService, Retention {
    private static final Logger LOG = System.getLogger(RecordingStore.class.getName());
    private static final String VOLUME_KEY = "volume_id";
    private static final Duration JOB_STOP_WAIT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final JobRunner jobs;
    private final StorageCore core;
    private final Deleter deleter;
    private final Announcements announcements;
    private final Reconciler reconciler;
    private final RetentionEngine retention;
    private final VolumeGuard guard = new VolumeGuard();
    static final Duration SCRUB_START = Duration.ofMinutes(2);
    static final Duration SCRUB_PERIOD = Duration.ofSeconds(10);
    private final Scrubber scrubber;
    private final List<Consumer<StorageStatus>> statusListeners = new CopyOnWriteArrayList<>();
    private final Set<Job<?>> running = ConcurrentHashMap.newKeySet();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final Object statusLock = new Object();
    /** Protecting and unprotecting, so that the lists on the disk follow the catalog in order. */
    private final Object protectLock = new Object();
    private volatile StorageSettings settings;
    private volatile Importer importer;
    private volatile StorageStatus status;
    private volatile VolumeGuard.Verdict verdict;
    private volatile CheckReport lastCheck;
    private volatile boolean startupCheckPending;
    /** Checks and imports: the check at start (or when the disk returns) waits for them. */
    private final Set<Job<?>> checks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Makes "not closed, so queued" and "closed, so flushed" one step each (no announcement slips between). */
    private final Object announceLock = new Object();

    @Activate
    public RecordingStore(BundleContext context, @Reference DataDirectory data, @Reference Scheduler scheduler,
            @Reference JobRunner jobs, RecordingConfig recording, RetentionConfig retentionConfig)
            throws SQLException, IOException {
        this(data.root(), scheduler, jobs, StorageSettings.from(data, recording, retentionConfig,
                VigilMode.of(context.getProperty(VigilMode.PROPERTY))));
        retention.defaultLimits(StorageSettings.defaultLimits(retentionConfig));
    }

    /** Opens the catalog in {@code dataDir}; plugins are added with {@link #addPlugin}. */
    public RecordingStore(Path dataDir, Scheduler scheduler, JobRunner jobs, StorageSettings settings)
            throws SQLException, IOException {
        this.dataDir = dataDir;
        this.jobs = jobs;
        this.settings = settings;
        CatalogStore store = CatalogStore.open(dataDir.resolve(CatalogStore.FILE_NAME), settings.zone(),
                settings.root());
        this.core = new StorageCore(store, scheduler, settings.zone(), settings.root());
        this.deleter = new Deleter(core);
        this.announcements = new Announcements(core, deleter);
        this.reconciler = new Reconciler(core, deleter);
        this.importer = new Importer(core, reconciler, settings.retention().reserveBytes());
        this.retention = new RetentionEngine(core, deleter, settings.retention(), this::volumeReady,
                this::refreshStatus);
        this.status = new StorageStatus(StorageState.NO_PLUGIN, Optional.of("Starting."), settings.root(),
                Optional.empty(), SpaceInfo.UNKNOWN, 0, Instant.now());
        this.scrubber = new Scrubber(core, java.time.Clock.systemUTC());
        if (settings.background()) {
            // the scrub starts once the start-up is behind, then reads a few recordings every 10 s
            timers.add(scheduler.scheduleAtFixedRate("storage scrub", () -> {
                if (volumeReady()) {
                    scrubber.round();
                }
            }, SCRUB_START, SCRUB_PERIOD));
            startupCheckPending = true;
            timers.add(scheduler.scheduleAtFixedRate("storage-monitor", this::monitor, settings.monitorPeriod(),
                    settings.monitorPeriod()));
            timers.add(scheduler.scheduleAtFixedRate("retention", retention::request,
                    settings.retention().period(), settings.retention().period()));
        }
        LOG.log(Level.DEBUG, "Recordings catalog {0} open; recordings root {1}", store.file(), settings.root());
    }

    @Reference(service = StoragePlugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + StoragePlugin.PROPERTY + "=file)")
    public void addPlugin(StoragePlugin plugin, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        core.plugins.add(plugin, ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : Long.MAX_VALUE);
        pluginsChanged();
    }

    public void removePlugin(StoragePlugin plugin) {
        core.plugins.remove(plugin);
        pluginsChanged();
    }

    private void pluginsChanged() {
        guard.forget();
        verdict = null;
        if (closed) {
            return;
        }
        try {
            core.scheduler.execute("storage-plugin", () -> {
                refreshStatus();
                announcements.schedule(Duration.ZERO);
                if (startupCheckPending && settings.background()) {
                    monitor();
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Plugin change not handled (stopping): {0}", e.toString());
        }
    }

    @Modified
    void modified(RecordingConfig recording, RetentionConfig retentionConfig) {
        StorageSettings next = StorageSettings.from(dataDir, recording, retentionConfig,
                settings.background() ? VigilMode.RECORDER : VigilMode.COMMAND);
        retention.settings(next.retention());
        retention.defaultLimits(StorageSettings.defaultLimits(retentionConfig));
        importer = new Importer(core, reconciler, next.retention().reserveBytes());
        boolean rootChanged = !next.root().equals(settings.root());
        settings = next;
        if (rootChanged) {
            LOG.log(Level.INFO, "The recordings root is now {0}.", next.root());
            core.root(next.root());
            guard.forget();
            verdict = null;
            startupCheckPending = next.background();
        }
        refreshStatus();
        retention.request();
    }

    /** Stops timers, lets running jobs finish their batch in hand, catalogues what is queued, closes the catalog. */
    @Deactivate
    public void close() {
        synchronized (announceLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        core.closed = true;
        for (ScheduledFuture<?> t : timers) {
            t.cancel(false);
        }
        List<Job<?>> jobsNow = new ArrayList<>(running);
        jobsNow.forEach(Job::cancel);
        for (Job<?> j : jobsNow) {
            try {
                if (!j.await(JOB_STOP_WAIT)) {
                    LOG.log(Level.WARNING, "The job {0} ({1}) did not stop within {2} s; the catalog closes anyway and"
                            + " the next start finishes what it left.", j.id(), j.name(), JOB_STOP_WAIT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            if (!announcements.flush()) {
                LOG.log(Level.INFO, "{0} closed segments were not catalogued before stopping; the check at the next"
                        + " start catalogues them from their files.", announcements.queued());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cataloguing the last segments failed: " + e, e);
        }
        statusListeners.clear();
        core.store.close();
    }

    // ------------------------------------------------------------------ status, space, volume

    private void monitor() {
        if (closed) {
            return;
        }
        refreshStatus();
        checks.removeIf(j -> j.state().isFinished());
        if (startupCheckPending && checks.isEmpty() && volumeReady()) {
            startupCheckPending = false;
            try {
                submitCheck("Check of the recordings at start", ctx -> {
                    CheckReport r = reconciler.run(true, false, SegmentState.RECOVERED, ctx);
                    lastCheck = r;
                    if (r.foundProblems()) {
                        LOG.log(Level.INFO, "Start-up check: {0}", r.summary());
                    }
                    return r;
                });
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Start-up check not started: {0}", e.toString());
            }
        }
    }

    boolean volumeReady() {
        VolumeGuard.Verdict v = verdict;
        StoragePlugin plugin = core.plugins.current().orElse(null);
        return v != null && v.ok() && plugin != null && guard.stillValid(plugin, core.root());
    }

    /** Recomputes the status (volume, space, rate) and tells listeners when the state changed. */
    public StorageStatus refreshStatus() {
        if (closed) {
            return status;
        }
        StorageStatus next;
        StorageStatus previous;
        synchronized (statusLock) {
            previous = status;
            next = computeStatus();
            status = next;
        }
        if (next.state() != previous.state() || !next.volumeId().equals(previous.volumeId())) {
            if (next.state() != StorageState.READY) {
                LOG.log(next.canRecord() ? Level.INFO : Level.WARNING, "Recordings storage: {0}: {1}", next.state(),
                        next.reason().orElse(""));
            } else {
                // a one-shot command opens the storage every time: only the running instance says so at INFO
                LOG.log(settings.background() ? Level.INFO : Level.DEBUG, "Recordings storage ready at {0}.",
                        next.root());
            }
            for (Consumer<StorageStatus> l : statusListeners) {
                try {
                    l.accept(next);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A storage status listener failed: " + e, e);
                }
            }
        }
        return next;
    }

    private StorageStatus computeStatus() {
        Path root = core.root();
        long bps = core.bitrate.bytesPerSecond();
        Optional<String> volumeId = guard.knownId();
        StoragePlugin plugin = core.plugins.current().orElse(null);
        if (closed) {
            return new StorageStatus(StorageState.FAILED, Optional.of("The storage service is stopped."), root,
                    volumeId, SpaceInfo.UNKNOWN, bps, Instant.now());
        }
        if (plugin == null) {
            return new StorageStatus(StorageState.NO_PLUGIN, Optional.of("No storage plugin for the recordings folder"
                    + " is installed (it is being replaced or was removed); recording is paused and resumes when one"
                    + " is back."), root, volumeId, SpaceInfo.UNKNOWN, bps, Instant.now());
        }
        try {
            VolumeGuard.Verdict v = verdict;
            if (v == null || !v.ok() || !guard.stillValid(plugin, root)) {
                Optional<String> expected = core.store.meta(VOLUME_KEY);
                v = guard.verify(plugin, root, expected);
                if (v.ok() && expected.isEmpty() && v.volumeId().isPresent()) {
                    core.store.setMeta(VOLUME_KEY, v.volumeId().get());
                    LOG.log(Level.INFO, "Recordings volume {0} at {1} belongs to this catalog now.",
                            v.volumeId().get(), root);
                }
                if (v.ok() && (verdict == null || !verdict.ok()) && settings.background()) {
                    startupCheckPending = true; // the disk is (back) there: compare it with the catalog
                }
                verdict = v;
            }
            volumeId = v.volumeId();
            if (!v.ok()) {
                return new StorageStatus(v.state(), v.reason(), root, volumeId, SpaceInfo.UNKNOWN, bps, Instant.now());
            }
            SpaceInfo space = plugin.space(root);
            SpacePolicy.Assessment a = SpacePolicy.assess(space, bps, retention.settings(),
                    retention.nothingToDelete(), retention.heldBack());
            if (a.retentionNeeded()) {
                retention.request();
            } else {
                retention.heldBack(Optional.empty());
            }
            if (a.state().canRecord()) {
                Optional<String> unwritable = writeProbe(root);
                if (unwritable.isPresent()) {
                    return new StorageStatus(StorageState.FAILED, unwritable, root, volumeId, space, bps,
                            Instant.now());
                }
            }
            return new StorageStatus(a.state(), a.reason(), root, volumeId, space, bps, Instant.now());
        } catch (NoSuchFileException e) {
            verdict = null;
            return new StorageStatus(StorageState.VOLUME_MISSING, Optional.of("The recordings folder " + root
                    + " is gone; mount the recordings disk and recording resumes by itself."), root, volumeId,
                    SpaceInfo.UNKNOWN, bps, Instant.now());
        } catch (IOException | SQLException e) {
            verdict = null;
            return new StorageStatus(StorageState.FAILED, Optional.of("The recordings disk at " + root
                    + " cannot be used (" + e.getMessage() + "); check the disk and its permissions."), root, volumeId,
                    SpaceInfo.UNKNOWN, bps, Instant.now());
        }
    }

    /**
     * Whether a file can be written in the recordings root now (issue 22, item 7): free space alone does not tell a
     * folder made read-only, immutable or unwritable for Vigil's user, or a disk remounted read-only after an error,
     * and "ready" while every write fails hides it from every status. Empty when it can; else the sentence.
     */
    static Optional<String> writeProbe(Path root) {
        Path probe = null;
        try {
            probe = java.nio.file.Files.createTempFile(root, ".vigil-write-check-", ".tmp");
            java.nio.file.Files.write(probe, new byte[] { 1 });
            return Optional.empty();
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                            ? f.getReason().toLowerCase(java.util.Locale.ROOT)
                            : String.valueOf(e.getMessage());
            return Optional.of("The recordings disk at " + root + " cannot be written (" + why + "); recording is"
                    + " paused until it can: check the folder's permissions and attributes, that the disk is mounted"
                    + " writable and has room.");
        } finally {
            if (probe != null) {
                try {
                    java.nio.file.Files.deleteIfExists(probe);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "The write check file {0} could not be removed: {1}", probe, e.toString());
                }
            }
        }
    }

    @Override
    public Path recordingsRoot() {
        return core.root();
    }

    @Override
    public StorageStatus status() {
        StorageStatus s = status;
        if (Duration.between(s.updated(), Instant.now()).compareTo(Duration.ofSeconds(2)) > 0 || !settings.background()) {
            s = refreshStatus();
        }
        return s;
    }

    @Override
    public Registration onStatusChange(Consumer<StorageStatus> listener) {
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    @Override
    public WriteCheck checkWrite(String cameraId) {
        CameraId.require(cameraId);
        StorageStatus s = status;
        return new WriteCheck(s.canRecord(), s.state(), s.reason(), s.space().freeBytes(), s.timeLeft());
    }

    @Override
    public SegmentReservation reserveSegment(String cameraId, Instant start, Container container)
            throws StorageUnavailableException {
        CameraId.require(cameraId);
        StoragePlugin plugin = core.plugin();
        Path root = core.root();
        if (!volumeReady() || !status.canRecord()) {
            StorageStatus s = refreshStatus();
            if (!volumeReady() || !s.canRecord()) {
                throw new StorageUnavailableException(s.state(), s.reason().orElse("Recording is paused."));
            }
        }
        try {
            SpaceInfo space = plugin.space(root);
            if (space.freeBytes() < retention.settings().reserveBytes()) {
                StorageStatus s = refreshStatus();
                retention.request();
                throw new StorageUnavailableException(StorageState.FULL, s.reason().orElse("The recordings disk is"
                        + " full; recording is paused and resumes by itself when retention has freed space."));
            }
        } catch (IOException e) {
            StorageStatus s = refreshStatus();
            throw new StorageUnavailableException(s.state(), s.reason().orElse("The recordings disk cannot be read ("
                    + e.getMessage() + ")."));
        }
        LocalDateTime local = LocalDateTime.ofInstant(start, core.zone);
        for (int attempt = 0; attempt < 1000; attempt++) {
            String rel = SegmentPaths.segment(cameraId, local, container, attempt);
            if (!core.reservations.reserve(rel)) {
                continue;
            }
            try {
                if (plugin.stat(root, rel).isPresent() || announcements.isPending(rel)) {
                    core.reservations.release(rel);
                    continue;
                }
                Path path = plugin.prepare(root, rel);
                return new SegmentReservation(cameraId, path, rel);
            } catch (IOException e) {
                core.reservations.release(rel);
                throw new StorageUnavailableException(StorageState.FAILED, "The folder for the recordings of camera "
                        + cameraId + " cannot be created (" + e.getMessage() + "); check the recordings disk.");
            }
        }
        throw new StorageUnavailableException(StorageState.FAILED, "Camera " + cameraId + " started more than 1000"
                + " segments in the same second; recording is paused.");
    }

    // ------------------------------------------------------------------ announcements

    /**
     * Queues {@code segment} for the catalog. While the service stops it refuses with an
     * {@link IllegalStateException}: the recorder keeps the announcement until a storage service is back (an
     * announcement queued here before the stop is catalogued by {@link #close()}).
     */
    @Override
    public void segmentClosed(ClosedSegment segment) {
        synchronized (announceLock) {
            if (closed) {
                throw new IllegalStateException("The recordings storage is stopping; " + segment.path()
                        + " is catalogued when it runs again.");
            }
            announcements.closed(segment);
        }
    }

    @Override
    public void segmentAbandoned(String cameraId, Path path, String reason) {
        if (closed) {
            return;
        }
        announcements.abandoned(cameraId, path, reason);
        try {
            core.scheduler.execute("storage-status", this::refreshStatus);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Status not refreshed (stopping): {0}", e.toString());
        }
    }

    /** Catalogues what recorders announced, now; true when nothing is left waiting. For tests and shutdown. */
    public boolean flushAnnouncements() {
        return announcements.flush();
    }

    // ------------------------------------------------------------------ jobs

    private <T> Job<T> submit(String kind, String name, JobTask<T> task) {
        if (closed) {
            throw new IllegalStateException("The storage service is stopping; '" + name + "' was not started.");
        }
        running.removeIf(j -> j.state().isFinished());
        Job<T>[] self = newJobHolder();
        Job<T> job = jobs.submit(kind, name, ctx -> {
            try {
                return task.run(ctx);
            } finally {
                Job<T> j = self[0];
                if (j != null) {
                    running.remove(j);
                }
            }
        });
        self[0] = job;
        running.add(job);
        if (job.state().isFinished()) {
            running.remove(job);
        }
        return job;
    }

    @SuppressWarnings("unchecked")
    private static <T> Job<T>[] newJobHolder() {
        return (Job<T>[]) new Job<?>[1];
    }

    /**
     * A check, import or adoption: counted, so that the check at start waits for it instead of walking the same tree
     * at the same time; a repair that completes makes that check unnecessary.
     */
    private Job<CheckReport> submitCheck(String name, JobTask<CheckReport> task) {
        Job<CheckReport> job = submit(name.startsWith("Import") ? "import" : "check", name, ctx -> {
            CheckReport r = task.run(ctx);
            if (r.repair()) {
                startupCheckPending = false;
            }
            return r;
        });
        checks.add(job);
        return job;
    }

    private void requireVolume() throws IOException {
        if (!volumeReady()) {
            StorageStatus s = refreshStatus();
            if (!volumeReady()) {
                throw new IOException(s.reason().orElse("The recordings volume is not available."));
            }
        }
    }

    /** The background scrub: what it read and found (issue 22, item 8). */
    public Scrubber scrubber() {
        return scrubber;
    }

    @Override
    public Job<CheckReport> check(boolean repair) {
        return check(repair, false);
    }

    @Override
    public Job<CheckReport> check(boolean repair, boolean deep) {
        String what = (repair ? "Check and repair the recordings" : "Check the recordings")
                + (deep ? ", reading every recording" : "");
        return submitCheck(what, ctx -> {
            requireVolume();
            CheckReport r = reconciler.run(repair, true, deep, SegmentState.RECOVERED, ctx);
            lastCheck = r;
            return r;
        });
    }

    @Override
    public Job<CheckReport> importTree(Path source, boolean move) {
        return submitCheck("Import recordings from " + source, ctx -> {
            requireVolume();
            CheckReport r = importer.run(source, move, ctx);
            lastCheck = r;
            return r;
        });
    }

    @Override
    public Job<CheckReport> adoptVolume() {
        return submitCheck("Adopt the disk at " + core.root() + " as the recordings volume", ctx -> {
            StoragePlugin plugin = core.plugin();
            String id;
            core.maintenance.lock();
            try {
                id = guard.claim(plugin, core.root());
                core.store.setMeta(VOLUME_KEY, id);
                verdict = null;
            } finally {
                core.maintenance.unlock();
            }
            refreshStatus();
            LOG.log(Level.INFO, "The disk at {0} is now the recordings volume ({1}).", core.root(), id);
            requireVolume();
            CheckReport r = reconciler.run(true, true, SegmentState.RECOVERED, ctx);
            lastCheck = r;
            return r;
        });
    }

    @Override
    public Optional<CheckReport> lastCheck() {
        return Optional.ofNullable(lastCheck);
    }

    @Override
    public Job<DeletionReport> delete(DeletionRequest request) {
        SegmentSelection sel = request.selection();
        String what = (sel.cameras().isEmpty() ? "every camera" : String.join(", ", new java.util.TreeSet<>(
                sel.cameras()))) + " from " + Format.time(sel.from(), core.zone) + " to "
                + Format.time(sel.to(), core.zone);
        return submit("delete", (request.dryRun() ? "List recordings to delete: " : "Delete recordings of ") + what,
                ctx -> deleteTask(request, ctx));
    }

    private DeletionReport deleteTask(DeletionRequest request, JobContext ctx) throws Exception {
        SegmentSelection sel = request.selection();
        long[] c = core.store.count(sel);
        Optional<Instant> first = c[3] == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(c[3]));
        Optional<Instant> last = c[4] == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(c[4]));
        if (request.dryRun()) {
            List<SegmentRow> rows = core.store.selected(sel, Long.MIN_VALUE, Long.MIN_VALUE,
                    DeletionReport.LIST_LIMIT + 1, true);
            List<Segment> listed = new ArrayList<>();
            Path root = core.root();
            for (int i = 0; i < rows.size() && i < DeletionReport.LIST_LIMIT; i++) {
                listed.add(rows.get(i).toSegment(root));
            }
            ctx.progress("listed", c[0], c[0], "segments", c[0], c[0]);
            return new DeletionReport(true, c[0], c[1], c[2], first, last, listed,
                    rows.size() <= DeletionReport.LIST_LIMIT);
        }
        requireVolume();
        long total = c[0];
        long done = 0;
        long bytes = 0;
        long afterStart = Long.MIN_VALUE;
        long afterId = Long.MIN_VALUE;
        ctx.progress("deleting", 0, total, "segments", 0, total);
        while (true) {
            ctx.checkCancelled(); // between batches: a batch once started is finished (the file in hand)
            List<SegmentRow> rows = core.store.selected(sel, afterStart, afterId, 16, true);
            if (rows.isEmpty()) {
                break;
            }
            core.maintenance.lock();
            try {
                Deleter.Outcome o = deleter.delete(rows);
                done += o.deleted().size();
                bytes += o.bytes();
            } finally {
                core.maintenance.unlock();
            }
            SegmentRow tail = rows.get(rows.size() - 1);
            afterStart = tail.startMs();
            afterId = tail.id();
            ctx.progress("deleting", done, Math.max(total, done), "segments", done, Math.max(total, done));
            ctx.message(Bytes.text(bytes) + " freed");
        }
        refreshStatus();
        return new DeletionReport(false, done, bytes, c[2], first, last, List.of(), true);
    }

    @Override
    public int setProtected(SegmentSelection selection, boolean protect) {
        try {
            int n;
            synchronized (protectLock) {
                n = core.store.setProtected(selection, protect);
                if (n > 0) {
                    mirrorProtection(selection);
                }
            }
            core.changed(selection.cameras(), 0, 0, n);
            if (!protect && n > 0) {
                retention.request();
            }
            return n;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Rewrites the protection lists of the day folders of {@code selection} from the catalog. */
    private void mirrorProtection(SegmentSelection selection) throws SQLException {
        StoragePlugin plugin = core.plugins.current().orElse(null);
        List<String> folders = core.store.foldersOf(selection);
        if (plugin == null || !volumeReady()) {
            LOG.log(Level.WARNING, "The protection of recordings in {0} folders is kept in the catalog only for now:"
                    + " the recordings disk is not available; a repair after the catalog was lost would not restore"
                    + " it.", folders.size());
            return;
        }
        for (String folder : folders) {
            try {
                ProtectionLists.write(plugin, core.root(), folder, core.store.protectedNames(folder));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "The protection list of {0} could not be written ({1}); the protection is kept"
                        + " in the catalog only.", folder, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ catalog queries

    @Override
    public Page<Segment> segments(SegmentQuery query) {
        try {
            return core.store.segments(query, QueryCancel.NONE);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<Segment> segment(long id) {
        try {
            return core.store.segment(id);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public Optional<Segment> segmentAt(String cameraId, Instant time) {
        try {
            return core.store.segmentAt(cameraId, time);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<DayCoverage> days(Set<String> cameras) {
        try {
            return core.store.days(cameras, QueryCancel.NONE);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<HourCoverage> hours(String cameraId, Instant from, Instant to) {
        try {
            return core.store.hours(cameraId, from, to, QueryCancel.NONE);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<CameraTotals> totals() {
        try {
            return core.store.totals(QueryCancel.NONE);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public List<String> cameras() {
        try {
            return core.store.cameras();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public ZoneId zone() {
        return core.zone;
    }

    @Override
    public CatalogSession session() {
        return new Session(core.scheduler, core.store);
    }

    @Override
    public Registration onChange(Consumer<CatalogChange> listener) {
        return core.onChange(listener);
    }

    private static IllegalStateException failure(SQLException e) {
        return new IllegalStateException("The recordings catalog cannot be read or written (" + e.getMessage() + ").",
                e);
    }

    // ------------------------------------------------------------------ retention

    @Override
    public RetentionSettings settings() {
        return retention.settings();
    }

    @Override
    public Map<String, CameraLimits> cameraLimits() {
        try {
            return core.store.limits();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void setCameraLimits(String cameraId, CameraLimits limits) {
        CameraId.require(cameraId);
        try {
            core.store.setLimits(cameraId, limits);
        } catch (SQLException e) {
            throw failure(e);
        }
        retention.request();
    }

    @Override
    public CompletionStage<RetentionReport> runNow() {
        return retention.runNow();
    }

    @Override
    public Optional<RetentionReport> lastRun() {
        return retention.last();
    }

    /** What giving {@code cameraId} the limits {@code next} would delete now (its own limits, else the defaults). */
    public RetentionPreview previewCameraLimits(String cameraId, CameraLimits next) {
        CameraId.require(cameraId);
        try {
            Map<String, CameraLimits> own = new java.util.TreeMap<>(core.store.limits());
            own.put(cameraId, next);
            CameraLimits l = RetentionEngine.withDefaults(own, List.of(cameraId), retention.defaultLimits())
                    .getOrDefault(cameraId, CameraLimits.NONE);
            return RetentionPreview.of(core.store, Map.of(cameraId, l), Instant.now());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** What new default limits (those of cameras without their own) would delete now. */
    public RetentionPreview previewDefaultLimits(CameraLimits defaults) {
        try {
            return RetentionPreview.of(core.store, RetentionEngine.withDefaults(core.store.limits(),
                    core.store.cameras(), defaults), Instant.now());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Applies new retention settings at once (configuration changes go through {@link #modified}). */
    public void retentionSettings(RetentionSettings next) {
        retention.settings(next);
        importer = new Importer(core, reconciler, next.reserveBytes());
        refreshStatus();
        retention.request();
    }

    /**
     * Why retention deletes nothing although space is low (other files fill the disk, or every recording left is
     * protected), while that lasts: the alert of {@code vigil status}.
     */
    public Optional<String> retentionProblem() {
        StorageStatus s = status;
        if (s.state() == StorageState.READY) {
            return Optional.empty();
        }
        Optional<String> held = retention.heldBack();
        if (held.isPresent()) {
            return Optional.of(s.reason().orElse(held.get()));
        }
        return retention.nothingToDelete() ? s.reason() : Optional.empty();
    }

    /** For tests and the benchmark: the catalog underneath. */
    public CatalogStore store() {
        return core.store;
    }

    /** Segments being written (reserved and not yet announced). */
    public int segmentsBeingWritten() {
        return core.reservations.size();
    }
}
