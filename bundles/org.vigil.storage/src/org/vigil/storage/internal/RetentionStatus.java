package org.vigil.storage.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;
import org.vigil.api.storage.Retention;

/**
 * Retention's part of {@code vigil status} (and so of the workbench's alert indicator): an alert while free space is
 * low and retention deletes nothing, because deleting every recording it may delete would not make enough room (other
 * files fill the disk) or every recording left is protected. The sentence says how much space is needed.
 */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=35")
public final class RetentionStatus implements StatusSection {
    private final RecordingStore store;

    @Activate
    public RetentionStatus(@Reference Retention retention) {
        this.store = (RecordingStore) retention; // this bundle's own store
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public List<String> lines() {
        return List.of("Retention: " + store.retentionProblem().orElse("keeps the recordings disk from filling up."));
    }

    @Override
    public Map<String, Object> data() {
        Optional<String> problem = store.retentionProblem();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", problem.isEmpty());
        problem.ifPresent(p -> m.put("alert", p));
        return m;
    }

    @Override
    public boolean alerting() {
        return store.retentionProblem().isPresent();
    }
}
