package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatisticsSource;
import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.RetentionSettings;
import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.AlertListener;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.MonitorSettings;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.StorageService;

/**
 * The {@link SystemMonitor}: readings every {@code intervalSeconds} (2 s) on the shared scheduler, from the kernel's
 * files, the recordings volume and every {@link CameraStatisticsSource}. Settings: PIDs {@value MonitorSettings#PID},
 * {@value RecordingSettings#PID} (recordings root) and {@value RetentionSettings#PID} (free-space floor), all
 * optional; a change applies at the next reading.
 */
@Component(service = SystemMonitor.class, configurationPid = { MonitorSettings.PID, RecordingSettings.PID,
        RetentionSettings.PID })
public final class SystemMonitorComponent implements SystemMonitor {
    /** How long deactivation waits for a reading in progress. */
    static final Duration STOP_BOUND = Duration.ofSeconds(3);
    private static final Logger LOG = System.getLogger(SystemMonitorComponent.class.getName());

    private final List<CameraStatisticsSource> sources = new CopyOnWriteArrayList<>();
    /** Sources that failed once: told in the log once, not every two seconds. */
    private final Map<CameraStatisticsSource, Boolean> failed = new ConcurrentHashMap<>();
    private final Path dataRoot;
    private final HealthMonitor monitor;
    private final Sampler sampler;
    private volatile StorageService storage;
    private volatile ConfigurationAdmin admin;
    private static final List<String> PIDS = List.of(MonitorSettings.PID, RecordingSettings.PID, RetentionSettings.PID);

    @Activate
    public SystemMonitorComponent(@Reference Scheduler scheduler, @Reference DataDirectory data,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL) ConfigurationAdmin admin,
            Map<String, Object> properties) {
        this(scheduler, configOf(properties, admin, data.root()), data.root(), Path.of("/"), Clock.systemUTC());
        this.admin = admin;
    }

    /** The settings from every configuration that exists (see {@link MergedSettings} for why not SCR's alone). */
    private static MonitorConfig configOf(Map<String, Object> properties, ConfigurationAdmin admin, Path dataRoot) {
        Map<String, Object> p = MergedSettings.merge(properties, admin, PIDS);
        return MonitorConfig.of(MergedSettings.view(MonitorSettings.class, p),
                MergedSettings.view(RecordingSettings.class, p), MergedSettings.view(RetentionSettings.class, p),
                dataRoot);
    }

    /** For tests: {@code systemRoot} holds the kernel files ({@code /} or fixtures), {@code clock} gives the time. */
    SystemMonitorComponent(Scheduler scheduler, MonitorConfig config, Path dataRoot, Path systemRoot, Clock clock) {
        this.dataRoot = dataRoot;
        this.monitor = new HealthMonitor(new HostProbe(systemRoot, systemRoot.equals(Path.of("/"))),
                new ProcessProbe(systemRoot), this::statistics, clock, config);
        this.monitor.recordedRoot(() -> {
            StorageService s = storage;
            return s == null ? null : s.recordingsRoot();
        });
        this.sampler = new Sampler(scheduler, "system monitor", monitor::sample);
        Duration first = config.interval().compareTo(Duration.ofSeconds(1)) < 0 ? config.interval() : Duration.ofSeconds(1);
        sampler.start(first, config.interval());
        LOG.log(Level.DEBUG, "System monitor started: readings every {0} s, recordings in {1}",
                config.interval().toSeconds(), config.recordingsRoot());
    }

    /** The storage, when one runs: its recordings root is the volume the disk readings are about. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setStorage(StorageService storage) {
        this.storage = storage;
    }

    void unsetStorage(StorageService storage) {
        if (this.storage == storage) {
            this.storage = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(CameraStatisticsSource source) {
        sources.add(source);
    }

    void removeSource(CameraStatisticsSource source) {
        sources.remove(source);
        failed.remove(source);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        MonitorConfig old = monitor.config();
        MonitorConfig c = configOf(properties, admin, dataRoot);
        monitor.config(c);
        if (!c.interval().equals(old.interval())) {
            sampler.start(c.interval(), c.interval());
        }
        LOG.log(Level.DEBUG, "System monitor settings changed: readings every {0} s, recordings in {1}",
                c.interval().toSeconds(), c.recordingsRoot());
    }

    /** Stops the readings and waits (bounded) for one in progress; drops the listeners. Idempotent, never throws. */
    @Deactivate
    void deactivate() {
        sampler.stop(STOP_BOUND);
        monitor.alerts().removeAllListeners();
        sources.clear();
    }

    /** For tests: stop with another bound; true when no reading runs any more. */
    boolean stop(Duration bound) {
        boolean inTime = sampler.stop(bound);
        monitor.alerts().removeAllListeners();
        return inTime;
    }

    private List<CameraStatistics> statistics() {
        List<CameraStatistics> all = new ArrayList<>();
        for (CameraStatisticsSource s : sources) {
            try {
                List<CameraStatistics> list = s.statistics();
                if (list != null) {
                    all.addAll(list);
                }
                failed.remove(s);
            } catch (RuntimeException e) {
                if (failed.put(s, Boolean.TRUE) == null) {
                    LOG.log(Level.WARNING, "A camera recorder's statistics could not be read (" + e
                            + "); its cameras are left out until it answers again.", e);
                }
            }
        }
        return all;
    }

    HealthMonitor monitor() {
        return monitor;
    }

    // ---- SystemMonitor

    @Override
    public Optional<Readings> current() {
        return monitor.current();
    }

    @Override
    public List<HistoryPoint> history(Instant from, Instant to) {
        return monitor.history().between(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
    }

    @Override
    public List<Alert> activeAlerts() {
        return monitor.alerts().active();
    }

    @Override
    public List<AlertEvent> recentAlertEvents() {
        return monitor.alerts().recent();
    }

    @Override
    public Registration addAlertListener(AlertListener listener) {
        return monitor.alerts().addListener(listener);
    }
}
