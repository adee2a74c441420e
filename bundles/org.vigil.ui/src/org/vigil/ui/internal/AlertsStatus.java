package org.vigil.ui.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.command.StatusSection;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;

/**
 * Whatever {@code vigil status} would alert on (a full disk, an offline camera, as the monitor and the camera engine
 * report them through {@link StatusSection} services) also shows in the status bar; nothing shows while all is well.
 */
@Component(service = StatusSource.class)
public final class AlertsStatus implements StatusSource {
    private final List<StatusSection> sections = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSection(StatusSection section) {
        sections.add(section);
    }

    void removeSection(StatusSection section) {
        sections.remove(section);
    }

    @Override
    public String id() {
        return "alerts";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public StatusReading read() {
        List<String> names = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (StatusSection s : sections) {
            try {
                if (s.alerting()) {
                    names.add(s.name());
                    lines.addAll(s.lines());
                }
            } catch (RuntimeException e) {
                // a section that fails is reported by 'vigil status'; the status bar stays quiet about it
            }
        }
        if (names.isEmpty()) {
            return StatusReading.of("");
        }
        return new StatusReading("Needs attention: " + String.join(", ", names), String.join("\n", lines),
                StatusReading.Level.PROBLEM);
    }
}
