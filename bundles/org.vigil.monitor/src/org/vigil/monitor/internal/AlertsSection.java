package org.vigil.monitor.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.SystemMonitor;

/** {@code vigil status}: the active alerts, each with its time and sentence; alerting while there is one. */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=90")
public final class AlertsSection extends MonitorSection {
    @Activate
    public AlertsSection(@Reference SystemMonitor monitor) {
        super(monitor, "alerts", "Alerts", EnumSet.allOf(AlertKind.class));
    }

    @Override
    public List<String> lines() {
        return StatusText.alertLines(monitor().activeAlerts(), Instant.now());
    }

    @Override
    public Map<String, Object> data() {
        return StatusText.alertData(monitor().activeAlerts());
    }
}
