package org.vigil.config.tests;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.CameraSettings;

/**
 * A stand-in for the camera recorder: one instance per camera factory configuration, reading its settings through
 * its properties with the passwords {@link CameraSecrets} keeps put back, and taking changes in {@code @Modified}, as
 * the real recorder does.
 */
@Component(service = CameraProbe.class, immediate = true, configurationPid = CameraSettings.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class CameraProbe {
    private volatile CameraConfig config;
    private final AtomicInteger modifications = new AtomicInteger();
    private volatile boolean deactivated;

    private final CameraSecrets secrets;

    @Activate
    public CameraProbe(Map<String, Object> properties, @Reference CameraSecrets secrets) {
        this.secrets = secrets;
        this.config = CameraProperties.toConfig(secrets.resolve(properties));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        this.config = CameraProperties.toConfig(secrets.resolve(properties));
        modifications.incrementAndGet();
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
    }

    CameraConfig config() {
        return config;
    }

    int modifications() {
        return modifications.get();
    }

    boolean isDeactivated() {
        return deactivated;
    }
}
