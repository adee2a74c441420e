package org.vigil.storage.internal;

import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vigil.api.storage.StoragePlugin;

/** The storage plugins offered for the root's scheme; the one with the highest ranking (then the oldest) is used. */
final class PluginSlot {
    private record Entry(StoragePlugin plugin, int ranking, long serviceId) {
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    /** Adds a plugin; true when it became the one in use. */
    boolean add(StoragePlugin plugin, int ranking, long serviceId) {
        entries.add(new Entry(plugin, ranking, serviceId));
        return current().orElse(null) == plugin;
    }

    /** Removes a plugin; true when it was the one in use. */
    boolean remove(StoragePlugin plugin) {
        boolean wasCurrent = current().orElse(null) == plugin;
        entries.removeIf(e -> e.plugin == plugin);
        return wasCurrent;
    }

    Optional<StoragePlugin> current() {
        return entries.stream()
                .max(Comparator.comparingInt(Entry::ranking).thenComparing(Comparator.comparingLong(Entry::serviceId)
                        .reversed()))
                .map(Entry::plugin);
    }

    int size() {
        return entries.size();
    }
}
