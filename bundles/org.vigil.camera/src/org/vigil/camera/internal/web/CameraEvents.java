package org.vigil.camera.internal.web;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.platform.Registration;
import org.vigil.camera.internal.CameraStatusCommand;
import org.vigil.web.api.WebEvents;

/**
 * Publishes every camera state change to the recorder's event stream ({@code /api/events}) as {@code camera.state}
 * with the camera's id, state, since when and the reason. Active only while the event stream exists (its
 * {@link WebEvents} service is a mandatory reference), so a recorder without the web bundle runs without it.
 */
@Component(immediate = true)
public final class CameraEvents {
    static final String TYPE = "camera.state";

    private final Registration listening;

    @Activate
    public CameraEvents(@Reference CameraService cameras, @Reference WebEvents events) {
        listening = cameras.addStatusListener(s -> events.publish(TYPE, data(s)));
    }

    /** The fields of {@code vigil camera status --json} that a state change has: id, state, since, reason. */
    static Map<String, Object> data(CameraStatus s) {
        return CameraStatusCommand.data(s, Optional.empty(), Instant.now());
    }

    @Deactivate
    void stop() {
        listening.close();
    }
}
