package org.vigil.monitor.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.vigil.api.command.StatusSection;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;

/** A part of {@code vigil status} made from the monitor's newest readings; alerting while its alerts are active. */
abstract class MonitorSection implements StatusSection {
    private final SystemMonitor monitor;
    private final String name;
    private final String heading;
    private final Set<AlertKind> kinds;

    MonitorSection(SystemMonitor monitor, String name, String heading, Set<AlertKind> kinds) {
        this.monitor = monitor;
        this.name = name;
        this.heading = heading;
        this.kinds = kinds;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean alerting() {
        return monitor.activeAlerts().stream().anyMatch(a -> kinds.contains(a.kind()));
    }

    SystemMonitor monitor() {
        return monitor;
    }

    List<String> fromReadings(Function<Readings, List<String>> lines) {
        return monitor.current().map(lines).orElse(List.of(heading + ": " + StatusText.NO_READINGS));
    }

    Map<String, Object> dataFromReadings(Function<Readings, Map<String, Object>> data) {
        return monitor.current().map(data).orElse(Map.of());
    }
}
