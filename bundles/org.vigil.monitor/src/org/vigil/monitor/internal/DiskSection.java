package org.vigil.monitor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageStatus;

/**
 * {@code vigil status}: the recordings volume's free space against the retention floor, and, when the storage
 * cannot write to it (unwritable, read-only, failing), its sentence; that alerts like a disk alert (issue 22, item 7:
 * "Alerts: none" while every write failed).
 */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=20")
public final class DiskSection extends MonitorSection {
    private volatile StorageService storage;

    @Activate
    public DiskSection(@Reference SystemMonitor monitor) {
        super(monitor, "disk", "Disk", StatusText.DISK_ALERTS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setStorage(StorageService storage) {
        this.storage = storage;
    }

    void unsetStorage(StorageService storage) {
        if (this.storage == storage) {
            this.storage = null;
        }
    }

    /** The storage's sentence when it fails to write (FAILED); other states have their own sections. */
    private Optional<String> failing() {
        StorageService s = storage;
        if (s == null) {
            return Optional.empty();
        }
        try {
            StorageStatus st = s.status();
            return st.state() == StorageState.FAILED ? Optional.of(st.reason().orElse("The recordings storage fails."))
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // the storage is stopping
        }
    }

    @Override
    public boolean alerting() {
        return super.alerting() || failing().isPresent();
    }

    @Override
    public List<String> lines() {
        List<String> lines = new ArrayList<>(fromReadings(StatusText::diskLines));
        failing().ifPresent(f -> lines.add("      RECORDING PAUSED: " + f));
        return lines;
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>(dataFromReadings(StatusText::diskData));
        failing().ifPresent(f -> data.put("storage_failing", f));
        return data;
    }
}
