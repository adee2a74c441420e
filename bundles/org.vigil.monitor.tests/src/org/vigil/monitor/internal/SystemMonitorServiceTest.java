package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatisticsSource;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.testing.Await;

/** The monitor as the running instance has it: a DS service on the shared scheduler, fed by recorders' services. */
class SystemMonitorServiceTest {
    @InjectService(timeout = 5000)
    SystemMonitor monitor;

    @InjectService(timeout = 5000)
    Scheduler scheduler;

    @InjectService(timeout = 5000)
    DataDirectory data;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configAdmin;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path tmp;

    @Test
    void takesReadingsOnTheSharedScheduler() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(5), () -> monitor.current().isPresent()), "no readings within 5 s");
        Readings first = monitor.current().orElseThrow();
        assertTrue(Await.until(Duration.ofSeconds(6), () -> monitor.current().orElseThrow().time().isAfter(first.time())),
                "a second reading within one interval (2 s)");
        Readings r = monitor.current().orElseThrow();
        assertTrue(r.host().cpus() > 0 && r.host().memoryTotalBytes() > 0);
        assertEquals(ProcessHandle.current().pid(), r.process().pid());
        assertEquals(data.root().resolve("recordings").toString(), r.disks().get(0).path(),
                "recordings in the data directory by default");
        assertEquals(10, r.disks().get(0).minFreePercent(), "the retention floor's default");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("monitor")
                && !t.getName().startsWith("vigil-scheduler")), "no thread of the monitor's own");
    }

    @Test
    void readsCameraStatisticsServicesAsTheyComeAndGo() throws Exception {
        FakeCameras recorder = new FakeCameras();
        Instant now = Instant.now();
        recorder.put(FakeCameras.down("yard", CameraState.RECONNECTING, now.minusSeconds(3), now.minusSeconds(45), 4,
                "No answer from 10.0.0.9:554 within 5 s."));
        recorder.put(FakeCameras.recording("front", now.minusSeconds(600), now, now.minusSeconds(10)));
        List<AlertEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Registration listening = monitor.addAlertListener(events::add);
        ServiceRegistration<CameraStatisticsSource> reg = context.registerService(CameraStatisticsSource.class,
                recorder, null);
        try {
            assertTrue(Await.until(Duration.ofSeconds(6),
                    () -> monitor.activeAlerts().stream().anyMatch(a -> a.key().equals("CAMERA_OFFLINE:yard"))),
                    "camera offline for 45 s raises the alert");
            Readings r = monitor.current().orElseThrow();
            assertEquals(CameraState.RECORDING, r.camera("front").orElseThrow().state());
            assertEquals(4, r.camera("yard").orElseThrow().reconnects());
            assertTrue(Await.until(Duration.ofSeconds(2), () -> events.stream().anyMatch(e -> e.type()
                    == AlertEvent.Type.RAISED && e.message().startsWith("Camera 'yard' has been offline for"))),
                    "the listener heard it: " + events);

            Instant back = Instant.now();
            recorder.put(new CameraStatistics("yard", CameraState.RECORDING, back, 25, 4_000_000, 1, 1,
                    java.util.Optional.of(back), 4, java.util.Optional.empty(), java.util.Optional.empty(),
                    Duration.ofSeconds(60)));
            assertTrue(Await.until(Duration.ofSeconds(6), () -> monitor.activeAlerts().isEmpty()), "cleared");
            assertTrue(Await.until(Duration.ofSeconds(2),
                    () -> events.stream().anyMatch(e -> e.type() == AlertEvent.Type.CLEARED)), "heard: " + events);
        } finally {
            reg.unregister();
            listening.close();
        }
        assertTrue(Await.until(Duration.ofSeconds(6), () -> monitor.current().orElseThrow().cameras().isEmpty()),
                "a recorder that goes away takes its cameras with it");
    }

    @Test
    void followsTheRecordingAndRetentionSettings() throws Exception {
        Configuration recording = configAdmin.getConfiguration("org.vigil.recording", "?");
        Configuration retention = configAdmin.getConfiguration("org.vigil.retention", "?");
        try {
            Path elsewhere = tmp.resolve("elsewhere");
            recording.update(new Hashtable<>(Map.of("recordingsRoot", elsewhere.toString())));
            retention.update(new Hashtable<>(Map.of("minFreeDiskPercent", 25)));
            assertTrue(Await.until(Duration.ofSeconds(8), () -> monitor.current()
                    .map(r -> r.disks().get(0).path().equals(elsewhere.toString())
                            && r.disks().get(0).minFreePercent() == 25).orElse(false)),
                    "settings applied: " + monitor.current().map(Readings::disks));
        } finally {
            recording.delete();
            retention.delete();
        }
        assertTrue(Await.until(Duration.ofSeconds(8), () -> monitor.current()
                .map(r -> r.disks().get(0).path().equals(data.root().resolve("recordings").toString())).orElse(false)),
                "defaults again once the settings are deleted");
    }

    @Test
    void stoppingWaitsForAReadingInProgressAndWarnsWhenItDoesNotEnd() throws Exception {
        List<LogRecord> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                warnings.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Sampler.class.getName());
        log.addHandler(capture);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeCameras hanging = new FakeCameras() {
            @Override
            public synchronized List<CameraStatistics> statistics() {
                if (calls.incrementAndGet() == 2) { // the second reading hangs, as on an unreachable NFS disk
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of();
            }
        };
        SystemMonitorComponent c = new SystemMonitorComponent(scheduler,
                MonitorConfig.defaults(tmp.resolve("rec")).withInterval(Duration.ofSeconds(1)), tmp, Path.of("/"),
                java.time.Clock.systemUTC());
        c.addSource(hanging);
        try {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the second reading started");
            long t0 = System.nanoTime();
            assertFalse(c.stop(Duration.ofMillis(300)), "a hanging reading does not end in time");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 3000, "the wait is bounded: " + ms + " ms");
            assertTrue(warnings.stream().anyMatch(w -> w.getLevel() == java.util.logging.Level.WARNING
                    && w.getMessage().contains("did not stop within")), "a warning says so");
        } finally {
            release.countDown();
            log.removeHandler(capture);
        }
        int calls = hanging.calls.get();
        assertFalse(Await.until(Duration.ofMillis(2500), () -> hanging.calls.get() > calls),
                "no reading after stop, once the hanging one ended");
        assertTrue(c.stop(Duration.ofMillis(300)), "stopping again is harmless and finds nothing running");
    }

    @Test
    void stoppingAnIdleMonitorIsQuick() throws Exception {
        SystemMonitorComponent c = new SystemMonitorComponent(scheduler, MonitorConfig.defaults(tmp.resolve("rec")),
                tmp, Path.of("/"), java.time.Clock.systemUTC());
        assertTrue(Await.until(Duration.ofSeconds(5), () -> c.current().isPresent()));
        long t0 = System.nanoTime();
        c.deactivate();
        c.deactivate();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "no reading ran: no wait");
        Instant last = c.current().orElseThrow().time();
        assertFalse(Await.until(Duration.ofMillis(2500), () -> c.current().orElseThrow().time().isAfter(last)),
                "no reading after deactivation");
    }
}
