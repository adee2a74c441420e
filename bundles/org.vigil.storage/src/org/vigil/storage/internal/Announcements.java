package org.vigil.storage.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.api.storage.StoredFile;
import org.vigil.storage.internal.catalog.NewSegment;

/**
 * Segments recorders announced closed, on their way into the catalog: queued on the caller's thread, then synced
 * (file and folder) and inserted in batched transactions on the scheduler. While no plugin is installed or the
 * catalog cannot be written they stay queued; nothing announced is lost while Vigil runs, and after a crash the
 * check at start catalogues the files from their headers.
 */
final class Announcements {
    private static final Logger LOG = System.getLogger(Announcements.class.getName());
    private static final int BATCH = 500;
    private static final int FLUSH_NOW = 64;
    private static final Duration DELAY = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private record Pending(ClosedSegment segment, String relativePath) {
    }

    private final StorageCore core;
    private final Deleter deleter;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object flushLock = new Object();
    private volatile boolean warned;

    Announcements(StorageCore core, Deleter deleter) {
        this.core = core;
        this.deleter = deleter;
        core.announcing(pending::contains);
    }

    void closed(ClosedSegment s) {
        Optional<String> rel = relative(s.path());
        if (rel.isEmpty()) {
            LOG.log(Level.WARNING, "Camera {0} announced {1}, which is not under the recordings root {2}; it is not"
                    + " catalogued.", s.cameraId(), s.path(), core.root());
            return;
        }
        if (!rel.get().startsWith(s.cameraId() + "/")) {
            LOG.log(Level.WARNING, "Camera {0} announced {1}, which is not in its own folder; it is not catalogued.",
                    s.cameraId(), rel.get());
            return;
        }
        pending.add(rel.get());
        queue.add(new Pending(s, rel.get()));
        schedule(queue.size() >= FLUSH_NOW ? Duration.ZERO : DELAY);
    }

    void abandoned(String cameraId, Path path, String reason) {
        Optional<String> rel = relative(path);
        if (rel.isEmpty()) {
            return;
        }
        LOG.log(Level.INFO, "Camera {0} abandoned the segment {1} ({2}); the partial file is deleted.", cameraId,
                rel.get(), reason);
        try {
            core.scheduler.execute("discard-segment", () -> {
                try {
                    core.maintenance.lock();
                    try {
                        long bytes = core.plugin().stat(core.root(), rel.get()).map(StoredFile::size).orElse(0L);
                        deleter.discard(rel.get(), bytes);
                    } finally {
                        core.maintenance.unlock();
                    }
                } catch (SQLException | IOException | StorageUnavailableException e) {
                    LOG.log(Level.WARNING, "The abandoned segment {0} could not be deleted now ({1}); the next check"
                            + " handles it.", rel.get(), e.getMessage());
                } finally {
                    core.reservations.release(rel.get());
                }
            });
        } catch (RuntimeException e) {
            core.reservations.release(rel.get());
        }
    }

    boolean isPending(String relativePath) {
        return pending.contains(relativePath);
    }

    int queued() {
        return queue.size();
    }

    void schedule(Duration delay) {
        if (core.closed || queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            core.scheduler.schedule("catalog-insert", () -> {
                scheduled.set(false);
                flush();
            }, delay);
        } catch (RuntimeException e) {
            scheduled.set(false);
        }
    }

    /** Catalogues everything queued now (on the caller's thread); true when the queue is empty afterwards. */
    boolean flush() {
        synchronized (flushLock) {
            while (!queue.isEmpty()) {
                StoragePlugin plugin = core.plugins.current().orElse(null);
                if (plugin == null) {
                    return false; // resumed when a plugin is bound
                }
                List<Pending> batch = new ArrayList<>();
                for (Pending p; batch.size() < BATCH && (p = queue.poll()) != null;) {
                    batch.add(p);
                }
                List<NewSegment> rows = new ArrayList<>();
                List<Pending> accepted = new ArrayList<>();
                Path root = core.root();
                for (Pending p : batch) {
                    try {
                        Optional<StoredFile> f = plugin.stat(root, p.relativePath);
                        if (f.isEmpty() || f.get().directory()) {
                            LOG.log(Level.WARNING, "The segment {0} was announced but is not on disk; it is not"
                                    + " catalogued.", p.relativePath);
                            pending.remove(p.relativePath);
                            core.reservations.release(p.relativePath);
                            continue;
                        }
                        plugin.sync(root, p.relativePath);
                        ClosedSegment s = p.segment;
                        rows.add(new NewSegment(s.cameraId(), s.start().toEpochMilli(), s.end().toEpochMilli(),
                                p.relativePath, f.get().size(), s.frames(), s.codec(), SegmentState.RECORDED));
                        accepted.add(p);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "The segment {0} could not be synced ({1}); it is not catalogued now and"
                                + " the next check probes it.", p.relativePath, e.getMessage());
                        pending.remove(p.relativePath);
                        core.reservations.release(p.relativePath);
                    }
                }
                try {
                    var done = core.store.insert(rows);
                    warned = false;
                    for (Pending p : accepted) {
                        pending.remove(p.relativePath);
                        core.reservations.release(p.relativePath);
                    }
                    for (NewSegment n : rows) {
                        core.bitrate.record(n.camera(), n.bytes(), n.endMs() - n.startMs());
                    }
                    core.changed(done.cameras(), done.added(), 0, done.changed());
                } catch (SQLException e) {
                    if (!warned) {
                        LOG.log(Level.WARNING, "The recordings catalog cannot be written ({0}); {1} closed segments"
                                + " wait and are catalogued when it can.", e.getMessage(), accepted.size());
                        warned = true;
                    }
                    queue.addAll(accepted);
                    if (!core.closed) {
                        try {
                            core.scheduler.schedule("catalog-insert-retry", this::flush, RETRY);
                        } catch (RuntimeException stopping) {
                            // the scheduler is stopping: the check at the next start catalogues the files
                        }
                    }
                    return false;
                }
            }
            return true;
        }
    }

    private Optional<String> relative(Path path) {
        Path root = core.root().toAbsolutePath().normalize();
        Path p = path.toAbsolutePath().normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            return Optional.empty();
        }
        return Optional.of(root.relativize(p).toString().replace('\\', '/'));
    }
}
