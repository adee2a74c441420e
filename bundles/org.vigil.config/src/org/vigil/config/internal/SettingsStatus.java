package org.vigil.config.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.StatusSection;

/**
 * The settings' part of {@code vigil status} (and so of the workbench's alert indicator): where they are kept, and an
 * alert while the settings database cannot be used or was found damaged at start (what was restored, where the
 * damaged file is). The alert stays until the recorder restarts with an intact database.
 */
@Component(service = StatusSection.class, property = StatusSection.ORDER_PROPERTY + ":Integer=15")
public final class SettingsStatus implements StatusSection {
    private final ConfigStorage storage;

    @Activate
    public SettingsStatus(@Reference ConfigStorage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "settings";
    }

    private Optional<String> trouble() {
        return storage.problem().or(() -> storage.database().flatMap(ConfigDatabase::incident));
    }

    @Override
    public List<String> lines() {
        return List.of("Settings: " + trouble().orElse("kept in " + storage.file() + "."));
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", storage.file().toString());
        m.put("ok", trouble().isEmpty());
        trouble().ifPresent(t -> m.put("alert", t));
        storage.database().flatMap(ConfigDatabase::damagedCopy).ifPresent(p -> m.put("damaged_copy", p.toString()));
        return m;
    }

    @Override
    public boolean alerting() {
        return trouble().isPresent();
    }
}
