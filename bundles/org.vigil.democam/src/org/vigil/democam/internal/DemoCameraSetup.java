package org.vigil.democam.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.Codec;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.democam.DemoCamera;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;

/**
 * {@code vigil run --demo}: a first start has a camera to record. When no camera is configured, the demo camera is
 * added as camera {@value #CAMERA_ID}; on later starts its URL is brought up to date (the demo camera's port is chosen
 * at each start). A user's own cameras are never touched.
 */
@Component(immediate = true)
public final class DemoCameraSetup {
    static final String CAMERA_ID = "demo";
    private static final Logger LOG = System.getLogger(DemoCameraSetup.class.getName());

    private final Future<?> setup;

    @Activate
    public DemoCameraSetup(BundleContext context, @Reference DemoCamera camera, @Reference SettingsService settings,
            @Reference Scheduler scheduler) {
        VigilMode mode = VigilMode.of(context.getProperty(VigilMode.PROPERTY));
        boolean wanted = "on".equals(context.getProperty("vigil.democam"))
                && (mode == VigilMode.RECORDER || mode == VigilMode.WORKBENCH);
        this.setup = wanted ? scheduler.execute("demo camera setup", () -> {
            try {
                configure(settings, camera.url(Codec.H264)).ifPresent(s -> LOG.log(Level.INFO, s));
            } catch (SettingsException e) {
                LOG.log(Level.WARNING, "The demo camera could not be added as a camera: {0}", e.getMessage());
            }
        }) : null;
    }

    /**
     * Adds the demo camera when no camera is configured, or updates the URL of the camera {@value #CAMERA_ID} when it
     * points at an earlier demo camera on this machine.
     *
     * @return what was done, for the log; empty when nothing had to change
     */
    static Optional<String> configure(SettingsService settings, String url) throws SettingsException {
        List<CameraConfig> cameras = settings.cameras();
        if (cameras.isEmpty()) {
            settings.saveCamera(CameraConfig.of(CAMERA_ID, "Demo camera", url));
            return Optional.of("No camera was configured: added the demo camera as '" + CAMERA_ID + "' (" + url + ").");
        }
        Optional<CameraConfig> demo = settings.camera(CAMERA_ID);
        if (demo.isPresent() && !demo.get().url().equals(url) && isLoopback(demo.get().url())) {
            CameraConfig c = demo.get();
            settings.saveCamera(new CameraConfig(c.id(), c.name(), url, c.subUrl(), c.codec(), c.record(), c.enabled(),
                    c.transport(), c.reconnectMin(), c.reconnectMax(), c.watchdog(), c.segmentLength()));
            return Optional.of("The demo camera '" + CAMERA_ID + "' now points at " + url + ".");
        }
        return Optional.empty();
    }

    private static boolean isLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Deactivate
    void deactivate() {
        if (setup != null) {
            setup.cancel(false);
        }
    }
}
