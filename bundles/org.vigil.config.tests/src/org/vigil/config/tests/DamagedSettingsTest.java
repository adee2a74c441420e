package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.command.StatusSection;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.ConfigStorage;

/**
 * A damaged {@code config.db} found when the settings start (a power cut, a failing card): the newest good copy comes
 * back with every camera, and {@code vigil status} (and so the workbench's alert indicator) alerts with what happened
 * and where the damaged file was saved, instead of running with no camera and "Alerts: none".
 */
class DamagedSettingsTest {

    @Test
    void aDamagedDatabaseComesBackFromItsNewestGoodCopyAndStatusAlerts() throws Exception {
        // the system bundle's context: this fragment's host is the bundle stopped here
        BundleContext context = FrameworkUtil.getBundle(DamagedSettingsTest.class).getBundleContext().getBundle(0)
                .getBundleContext();
        Bundle config = FrameworkUtil.getBundle(ConfigStorage.class);
        SettingsService settings = await(context, SettingsService.class, null);
        settings.saveCamera(CameraConfig.of("damaged-front", "Front door", "rtsp://127.0.0.1:8554/front"));
        Path file = await(context, ConfigStorage.class, null).file();
        config.stop();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(0);
            raf.write("this header was overwritten".getBytes(StandardCharsets.UTF_8));
        } finally {
            config.start();
        }
        try {
            SettingsService again = await(context, SettingsService.class, null);
            assertTrue(again.camera("damaged-front").isPresent(), "the camera came back from the good copy");
            StatusSection status = await(context, StatusSection.class,
                    "(component.name=org.vigil.config.internal.SettingsStatus)");
            assertTrue(status.alerting(), "vigil status alerts");
            String line = String.join(" ", status.lines());
            assertTrue(line.contains("was damaged") && line.contains(file + ".damaged-")
                    && line.contains("restored from"), line);
            Path damaged = Path.of(String.valueOf(status.data().get("damaged_copy")));
            assertTrue(Files.isRegularFile(damaged), "the damaged file is kept: " + damaged);
        } finally {
            await(context, SettingsService.class, null).removeCamera("damaged-front");
        }
    }

    private static <T> T await(BundleContext context, Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> t = filter == null ? new ServiceTracker<>(context, type, null)
                : new ServiceTracker<>(context, context.createFilter("(&(objectClass=" + type.getName() + ")"
                        + filter + ")"), null);
        t.open();
        try {
            T service = t.waitForService(TimeUnit.SECONDS.toMillis(20));
            assertTrue(service != null, type.getSimpleName() + " " + (filter == null ? "" : filter)
                    + " did not appear within 20 s");
            return service;
        } finally {
            t.close();
        }
    }
}
