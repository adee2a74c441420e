package org.vigil.storage.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.storage.internal.catalog.CatalogStore.GarbageRow;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * The deletion protocol (after Moonfire NVR): the rows move to the garbage table in one transaction, the files are
 * unlinked, their folders synced, then the garbage rows go. A crash anywhere leaves either a row with its file or a
 * garbage row, which the next check finishes: never a row without its file, never a file without a row.
 */
final class Deleter {
    private static final Logger LOG = System.getLogger(Deleter.class.getName());

    private final StorageCore core;

    Deleter(StorageCore core) {
        this.core = core;
    }

    record Outcome(List<SegmentRow> deleted, long bytes) {
    }

    /**
     * Deletes a batch. The batch is finished once started (callers check for cancellation between batches), so the
     * file in hand is never left half-done.
     */
    Outcome delete(List<SegmentRow> batch) throws SQLException, StorageUnavailableException {
        StoragePlugin plugin = core.plugin();
        Path root = core.root();
        List<SegmentRow> marked = core.store.markGarbage(batch);
        if (marked.isEmpty()) {
            return new Outcome(List.of(), 0);
        }
        List<String> paths = new ArrayList<>();
        for (SegmentRow r : marked) {
            paths.add(r.path());
        }
        List<String> gone = unlink(plugin, root, paths);
        core.store.forgetGarbage(gone);
        removeEmptyFolders(plugin, root, paths);
        long bytes = 0;
        Set<String> cameras = new HashSet<>();
        for (SegmentRow r : marked) {
            bytes += r.bytes();
            cameras.add(r.camera());
        }
        core.changed(cameras, 0, marked.size(), 0);
        return new Outcome(marked, bytes);
    }

    /** Deletes a file that has no row (an abandoned segment): garbage row, unlink, folder sync, garbage row gone. */
    void discard(String relativePath, long bytes) throws SQLException, StorageUnavailableException {
        StoragePlugin plugin = core.plugin();
        core.store.addGarbage(relativePath, bytes);
        List<String> gone = unlink(plugin, core.root(), List.of(relativePath));
        core.store.forgetGarbage(gone);
    }

    /** Finishes deletions a crash interrupted; returns how many. */
    int finishGarbage(List<String> details) throws SQLException, StorageUnavailableException {
        List<GarbageRow> garbage = core.store.garbage();
        if (garbage.isEmpty()) {
            return 0;
        }
        StoragePlugin plugin = core.plugin();
        List<String> paths = new ArrayList<>();
        for (GarbageRow g : garbage) {
            paths.add(g.path());
        }
        List<String> gone = unlink(plugin, core.root(), paths);
        core.store.forgetGarbage(gone);
        removeEmptyFolders(plugin, core.root(), paths);
        for (String p : gone) {
            details.add("finished the interrupted deletion of " + p);
        }
        return gone.size();
    }

    /** Unlinks and syncs the folders; returns the paths that are gone for good (synced). */
    private List<String> unlink(StoragePlugin plugin, Path root, List<String> paths) {
        List<String> unlinked = new ArrayList<>();
        Set<String> folders = new LinkedHashSet<>();
        for (String p : paths) {
            try {
                plugin.delete(root, p);
                unlinked.add(p);
                folders.add(SegmentPaths.folderOf(p));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "The recording {0} could not be deleted ({1}); it stays marked for deletion and"
                        + " the next check tries again.", p, e.getMessage());
            }
        }
        Set<String> synced = new HashSet<>();
        for (String f : folders) {
            try {
                plugin.syncFolder(root, f);
                synced.add(f);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "The folder {0} could not be synced after deleting recordings ({1}); the next"
                        + " check finishes the deletion.", f, e.getMessage());
            }
        }
        List<String> gone = new ArrayList<>();
        for (String p : unlinked) {
            if (synced.contains(SegmentPaths.folderOf(p))) {
                gone.add(p);
            }
        }
        return gone;
    }

    /**
     * Removes day folders left empty; never today's or yesterday's, where a recorder may be about to create a file in
     * a folder it just made.
     */
    private void removeEmptyFolders(StoragePlugin plugin, Path root, List<String> paths) {
        Set<String> folders = new LinkedHashSet<>();
        for (String p : paths) {
            folders.add(SegmentPaths.folderOf(p));
        }
        Set<String> busy = core.reservations.folders();
        java.time.LocalDate recent = java.time.LocalDate.now(core.zone).minusDays(1);
        for (String f : folders) {
            var parsed = SegmentPaths.parse(f + "/x.mp4");
            if (busy.contains(f) || parsed.isEmpty() || !parsed.get().day().isBefore(recent)) {
                continue;
            }
            try {
                plugin.deleteFolderIfEmpty(root, f);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Empty folder {0} not removed: {1}", f, e.getMessage());
            }
        }
    }
}
