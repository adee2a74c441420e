package org.vigil.monitor.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.SystemMonitor;

/** {@code vigil status}: the recordings volume's free space against the retention floor. */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=20")
public final class DiskSection extends MonitorSection {
    @Activate
    public DiskSection(@Reference SystemMonitor monitor) {
        super(monitor, "disk", "Disk", StatusText.DISK_ALERTS);
    }

    @Override
    public List<String> lines() {
        return fromReadings(StatusText::diskLines);
    }

    @Override
    public Map<String, Object> data() {
        return dataFromReadings(StatusText::diskData);
    }
}
