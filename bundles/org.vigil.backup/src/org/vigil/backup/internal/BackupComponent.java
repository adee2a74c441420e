package org.vigil.backup.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.backup.VerifyReport;
import org.vigil.api.config.BackupSettings;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageService;

/**
 * The backup service: selections from the catalog, checks, backup and verification jobs on the job runner.
 * <p>
 * When it stops (Vigil stopping, the bundle updated) it cancels its running jobs and waits for each, at most
 * {@value #STOP_TIMEOUT_PROPERTY} seconds (framework property, default 30), to roll back the file in hand; the job logs
 * which file it rolled back, and this component logs when one did not stop in time.
 */
@Component(service = BackupService.class, configurationPid = BackupSettings.PID)
public final class BackupComponent implements BackupService {
    static final String STOP_TIMEOUT_PROPERTY = "vigil.backup.stopTimeoutSeconds";
    /** The end of "everything": far beyond any recording, well inside what the catalog stores. */
    static final Instant FAR_FUTURE = Instant.parse("3000-01-01T00:00:00Z");
    private static final Logger LOG = System.getLogger(BackupComponent.class.getName());

    private final JobRunner runner;
    private final RecordingCatalog catalog;
    private final StorageService storage;
    private final Duration stopTimeout;
    private final CacheBypass bypass;
    private final String vigilVersion;
    private final Set<Job<?>> jobs = ConcurrentHashMap.newKeySet();
    private final Map<Path, String> destinationsInUse = new ConcurrentHashMap<>();
    private volatile BackupSettings settings;
    private volatile boolean stopping;

    @Activate
    public BackupComponent(@Reference JobRunner runner, @Reference RecordingCatalog catalog,
            @Reference StorageService storage, BundleContext context, BackupSettings settings) {
        this(runner, catalog, storage, settings, Duration.ofSeconds(longProperty(context, STOP_TIMEOUT_PROPERTY, 30)),
                CacheBypass.of(context.getProperty(CacheBypass.PROPERTY)),
                Optional.ofNullable(context.getProperty("vigil.version"))
                        .orElse(context.getBundle().getVersion().toString()));
    }

    BackupComponent(JobRunner runner, RecordingCatalog catalog, StorageService storage, BackupSettings settings,
            Duration stopTimeout, CacheBypass bypass, String vigilVersion) {
        this.runner = runner;
        this.catalog = catalog;
        this.storage = storage;
        this.settings = settings;
        this.stopTimeout = stopTimeout;
        this.bypass = bypass;
        this.vigilVersion = vigilVersion;
    }

    @Modified
    void modified(BackupSettings newSettings) {
        this.settings = newSettings;
    }

    @Override
    public Optional<Path> defaultDestination() {
        String d = settings.destination();
        return d == null || d.isBlank() ? Optional.empty() : Optional.of(Path.of(d.trim()));
    }

    @Override
    public BackupRequest request(Path destination) {
        BackupSettings s = settings;
        return BackupRequest.everything(destination)
                .withHash(HashAlgorithm.parse(s.hash()).orElse(HashAlgorithm.SHA256)).withVerify(s.verify());
    }

    @Override
    public BackupPlan plan(BackupRequest request) {
        BackupPlanner.Planned p = planner().plan(request, select(request), describe(request));
        p.manifest().ifPresent(BackupManifest::close);
        return p.plan();
    }

    @Override
    public Job<BackupReport> backup(BackupRequest request) {
        BackupRun run = new BackupRun(request, () -> select(request), describe(request), planner(), bypass,
                Identity.who(), vigilVersion, () -> stopping);
        Path key = request.destination().toAbsolutePath().normalize();
        String name = "Backup to " + key;
        return track(runner.submit("backup", name, ctx -> {
            String other = destinationsInUse.putIfAbsent(key, name);
            if (other != null) {
                throw new IOException("Another backup to " + key + " is running; wait for it to finish or cancel"
                        + " it, then try again.");
            }
            try {
                return run.run(ctx);
            } finally {
                destinationsInUse.remove(key);
            }
        }));
    }

    @Override
    public Job<VerifyReport> verify(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        return track(runner.submit("verify", "Verify the backup in " + dir, new VerifyRun(dir, bypass)));
    }

    private <T> Job<T> track(Job<T> job) {
        jobs.add(job);
        job.result().whenComplete((r, e) -> jobs.remove(job));
        return job;
    }

    /** Cancels this service's jobs and waits, bounded, for each to roll back its file in hand. Never throws. */
    @Deactivate
    void deactivate() {
        if (stopping) {
            return;
        }
        stopping = true;
        List<Job<?>> running = new ArrayList<>(jobs);
        running.forEach(Job::cancel);
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        for (Job<?> job : running) {
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!job.await(left)) {
                    LOG.log(Level.ERROR, "The job {0} ({1}) did not stop within {2} s of being cancelled; its file in"
                            + " hand is rolled back when it does. Run the same backup again afterwards.", job.id(),
                            job.name(), stopTimeout.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Stopping the job {0} failed: {1}", job.id(), e.toString());
            }
        }
        jobs.clear();
    }

    private BackupPlanner planner() {
        return new BackupPlanner(storage.recordingsRoot(), BackupPlanner.FileSystemProbe.SYSTEM);
    }

    /** The catalogued segments the request selects, oldest first. */
    List<BackupItem> select(BackupRequest r) {
        Instant from = r.from().orElse(Instant.EPOCH);
        Instant to = r.to().orElse(FAR_FUTURE);
        SegmentQuery q = new SegmentQuery(r.cameras(), from, to, SegmentQuery.MAX_LIMIT, Optional.empty(), false);
        List<BackupItem> items = new ArrayList<>();
        while (true) {
            Page<Segment> page = catalog.segments(q);
            for (Segment s : page.items()) {
                if (!r.protectedOnly() || s.isProtected()) {
                    items.add(new BackupItem(s.cameraId(), s.start(), s.end(), s.relativePath(), s.path(), s.bytes()));
                }
            }
            if (page.next().isEmpty() || page.items().isEmpty()) {
                return items;
            }
            q = q.after(page.next().get());
        }
    }

    /** The selection in words, for messages: "camera front from 2025-03-01 14:00 to 2025-03-02 00:00". */
    String describe(BackupRequest r) {
        ZoneId zone = catalog.zone();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        StringBuilder sb = new StringBuilder();
        if (r.protectedOnly()) {
            sb.append("the protected recordings of ");
        }
        sb.append(r.cameras().isEmpty() ? "every camera"
                : (r.cameras().size() == 1 ? "camera " : "cameras ") + String.join(", ", new TreeSet<>(r.cameras())));
        r.from().ifPresent(t -> sb.append(" from ").append(f.format(t)));
        r.to().ifPresent(t -> sb.append(" up to ").append(f.format(t)));
        return sb.toString();
    }

    static long longProperty(BundleContext context, String name, long fallback) {
        String v = context.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "The property {0}={1} is not a number; using {2}.", name, v, fallback);
            return fallback;
        }
    }
}
