package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatisticsSource;
import org.vigil.api.command.StatusSection;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.monitor.SystemMonitor;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/**
 * {@code vigil status} through the CLI's own status command: the monitor's sections (cameras, disk, host, alerts)
 * and exit code 1 while an alert is active, caused by a really full disk and by a camera going offline.
 */
class StatusExitCodeTest {
    private static final long MB = 1024 * 1024;

    @InjectService(timeout = 5000)
    SystemMonitor monitor;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configAdmin;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path tmp;

    private VigilCommand status() throws Exception {
        for (ServiceReference<VigilCommand> ref : context.getServiceReferences(VigilCommand.class, null)) {
            VigilCommand c = context.getService(ref);
            if (c.name().equals("status")) {
                return c;
            }
        }
        throw new AssertionError("the CLI's status command is not registered");
    }

    private StatusSection section(String name) {
        try {
            for (ServiceReference<StatusSection> ref : context.getServiceReferences(StatusSection.class, null)) {
                StatusSection s = context.getService(ref);
                if (s.name().equals(name)) {
                    return s;
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no status section " + name);
    }

    @Test
    void contributesFourSectionsAndExitsZeroWithoutAlerts() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(5), () -> monitor.current().isPresent()));
        assertTrue(Await.until(Duration.ofSeconds(8), () -> monitor.activeAlerts().isEmpty()),
                "precondition: no alert on this machine: " + monitor.activeAlerts());
        Invocation run = Invocation.run(status(), false);
        assertEquals(0, run.exitCode, run.output());
        String out = run.output();
        System.out.println("vigil status on this machine:\n" + out);
        for (String heading : List.of("Cameras: none reported", "Disk: recordings in ", "Host: CPU ", "Vigil: RSS ",
                "Alerts: none")) {
            assertTrue(out.contains(heading), "'" + heading + "' missing in:\n" + out);
        }
        for (String s : List.of("host", "disk", "cameras", "alerts")) {
            assertFalse(section(s).alerting(), s);
        }
    }

    @Test
    void aFullDiskMakesStatusExitOneUntilSpaceIsFreed() throws Exception {
        Configuration recording = configAdmin.getConfiguration("org.vigil.recording", "?");
        Configuration settings = configAdmin.getConfiguration("org.vigil.monitor", "?");
        Path mountPoint = tmp.resolve("disk");
        try (Tmpfs fs = Tmpfs.mount(mountPoint, 16)) {
            try {
                recording.update(new Hashtable<>(Map.of("recordingsRoot", fs.dir().toString())));
                settings.update(new Hashtable<>(Map.of("intervalSeconds", 1, "diskLowDelaySeconds", 0)));
                assertTrue(Await.until(Duration.ofSeconds(8), () -> monitor.current()
                        .map(r -> r.disks().get(0).path().equals(fs.dir().toString())).orElse(false)));
                Path video = fs.fill("front/20251113/080000.mp4", 15 * MB);
                assertTrue(Await.until(Duration.ofSeconds(8), () -> section("disk").alerting()), "disk alert");

                Invocation run = Invocation.run(status(), false);
                assertEquals(1, run.exitCode, run.output());
                assertTrue(run.output().contains("- BELOW THE FLOOR"), run.output());
                assertTrue(run.output().contains("below the retention floor of 10 %"), run.output());
                assertTrue(section("alerts").alerting());
                assertFalse(section("cameras").alerting());

                Invocation json = Invocation.run(status(), true);
                assertEquals(1, json.exitCode);
                JsonObject o = JsonParser.parseString(json.output()).getAsJsonObject();
                assertTrue(o.get("alerting").getAsBoolean());
                assertTrue(o.getAsJsonObject("disk").getAsJsonArray("volumes").get(0).getAsJsonObject()
                        .get("below_floor").getAsBoolean());
                assertEquals("disk_low", o.getAsJsonObject("alerts").getAsJsonArray("active").get(0)
                        .getAsJsonObject().get("kind").getAsString());
                assertTrue(o.getAsJsonObject("host").get("cpus").getAsInt() > 0);

                Files.delete(video);
                assertTrue(Await.until(Duration.ofSeconds(8), () -> !section("disk").alerting()), "cleared");
                assertEquals(0, Invocation.run(status(), false).exitCode);
            } finally {
                // back to the default root before the tmpfs goes away, so that no later test sees its alert
                recording.delete();
                settings.delete();
                assertTrue(Await.until(Duration.ofSeconds(8), () -> monitor.current()
                        .map(r -> !r.disks().get(0).path().startsWith(tmp.toString())).orElse(false)
                        && !section("disk").alerting()), "back on the default root");
            }
        }
    }

    @Test
    void anOfflineCameraMakesStatusExitOne() throws Exception {
        FakeCameras recorder = new FakeCameras();
        Instant now = Instant.now();
        recorder.put(FakeCameras.down("porch", CameraState.OFFLINE, now.minusSeconds(120), null, 0,
                "The camera refused the password."));
        ServiceRegistration<CameraStatisticsSource> reg = context.registerService(CameraStatisticsSource.class,
                recorder, null);
        try {
            assertTrue(Await.until(Duration.ofSeconds(8), () -> section("cameras").alerting()));
            Invocation run = Invocation.run(status(), false);
            assertEquals(1, run.exitCode);
            assertTrue(run.output().contains("porch  offline"), run.output());
            assertTrue(run.output().contains("Camera 'porch' has been offline for 2 min"), run.output());
        } finally {
            reg.unregister();
        }
        assertTrue(Await.until(Duration.ofSeconds(8), () -> !section("cameras").alerting()));
        assertEquals(0, Invocation.run(status(), false).exitCode);
    }
}
