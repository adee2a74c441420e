package org.vigil.monitor.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.SystemMonitor;

/** {@code vigil status}: CPU, memory, load, temperature, throttling, and Vigil's own memory, threads and files. */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=30")
public final class HostSection extends MonitorSection {
    @Activate
    public HostSection(@Reference SystemMonitor monitor) {
        super(monitor, "host", "Host", StatusText.HOST_ALERTS);
    }

    @Override
    public List<String> lines() {
        return fromReadings(StatusText::hostLines);
    }

    @Override
    public Map<String, Object> data() {
        return dataFromReadings(StatusText::hostData);
    }
}
