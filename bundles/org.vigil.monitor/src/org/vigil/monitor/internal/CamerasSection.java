package org.vigil.monitor.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.SystemMonitor;

/** {@code vigil status}: every camera's state, frame rate, bitrate, newest frame and segment, reconnects. */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=10")
public final class CamerasSection extends MonitorSection {
    @Activate
    public CamerasSection(@Reference SystemMonitor monitor) {
        super(monitor, "cameras", "Cameras", StatusText.CAMERA_ALERTS);
    }

    @Override
    public List<String> lines() {
        return fromReadings(StatusText::cameraLines);
    }

    @Override
    public Map<String, Object> data() {
        return dataFromReadings(r -> StatusText.cameraData(r, monitor().activeAlerts()));
    }
}
