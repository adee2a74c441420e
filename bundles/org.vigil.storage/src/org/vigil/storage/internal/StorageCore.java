package org.vigil.storage.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CatalogChange;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.storage.internal.catalog.CatalogStore;

/** What the parts of the storage service share: the catalog, the plugin in use, the root, the locks. */
final class StorageCore {
    private static final Logger LOG = System.getLogger(StorageCore.class.getName());

    final CatalogStore store;
    final Scheduler scheduler;
    final ZoneId zone;
    final PluginSlot plugins = new PluginSlot();
    final Reservations reservations = new Reservations();
    final BitrateMeter bitrate = new BitrateMeter();
    /** Serialises the parts that change catalog and disk together (deletion batches, retention, checks). */
    final ReentrantLock maintenance = new ReentrantLock();
    private final List<Consumer<CatalogChange>> changeListeners = new CopyOnWriteArrayList<>();
    private volatile Path root;
    private volatile Predicate<String> announcing = p -> false;
    volatile boolean closed;

    StorageCore(CatalogStore store, Scheduler scheduler, ZoneId zone, Path root) {
        this.store = store;
        this.scheduler = scheduler;
        this.zone = zone;
        this.root = root;
    }

    Path root() {
        return root;
    }

    void root(Path newRoot) {
        root = newRoot;
        store.root(newRoot);
    }

    StoragePlugin plugin() throws StorageUnavailableException {
        return plugins.current().orElseThrow(() -> new StorageUnavailableException(StorageState.NO_PLUGIN,
                "No storage plugin for the recordings folder is installed (it is being replaced or was removed);"
                        + " recording is paused and resumes when one is back."));
    }

    void announcing(Predicate<String> pending) {
        announcing = pending;
    }

    /** Being written, or closed and waiting to be catalogued: not for checks or retention to touch. */
    boolean busy(String relativePath) {
        return reservations.contains(relativePath) || announcing.test(relativePath);
    }

    Registration onChange(Consumer<CatalogChange> listener) {
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    void changed(Set<String> cameras, long added, long removed, long changed) {
        if (added + removed + changed == 0 || changeListeners.isEmpty() || closed) {
            return;
        }
        CatalogChange change = new CatalogChange(cameras, added, removed, changed);
        try {
            scheduler.execute("catalog-change", () -> {
                for (Consumer<CatalogChange> l : changeListeners) {
                    try {
                        l.accept(change);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "A catalog change listener failed: " + e, e);
                    }
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Catalog change not delivered (scheduler stopping): {0}", e.toString());
        }
    }
}
