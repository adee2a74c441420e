package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.codec.Container;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.api.storage.WriteCheck;

/**
 * Where the cameras' segments go: the {@link StorageService} (optional; without it recording waits) and the
 * {@link SegmentListener} whiteboard the cameras announce finished segments to. A segment finished while no listener
 * takes it (the storage bundle stopped or is being replaced: its catalog is what listens) is held here, in memory
 * and in order, at most {@link #MAX_HELD}, and announced when a listener is back; so stopping and starting only the
 * storage loses no catalog row. A listener that throws while it is being unbound (the storage stopping) has not
 * taken the segment.
 */
@Component(service = RecordingStorage.class)
public final class RecordingStorage {
    static final String NO_STORAGE = "The recordings storage is not running (bundle org.vigil.storage); recording"
            + " starts by itself when it is.";
    /** Finished segments held while no listener takes them, at most (the oldest go first, with a warning). */
    static final int MAX_HELD = 10_000;
    private static final Logger LOG = System.getLogger(RecordingStorage.class.getName());

    private volatile StorageService storage;
    private volatile Registration storageWatch;
    private final List<SegmentListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    /** Announcements no listener took yet, oldest first; guarded by itself, which also keeps them in order. */
    private final Deque<ClosedSegment> held = new ArrayDeque<>();
    private boolean heldWarned;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageService s) {
        Registration old = storageWatch;
        storage = s;
        storageWatch = s.onStatusChange(status -> changed());
        closeQuietly(old);
        announceHeld();
        changed();
    }

    void unbindStorage(StorageService s) {
        if (storage == s) {
            storage = null;
            Registration w = storageWatch;
            storageWatch = null;
            closeQuietly(w);
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(SegmentListener listener) {
        listeners.add(listener);
        announceHeld();
    }

    void removeListener(SegmentListener listener) {
        listeners.remove(listener);
    }

    /** May {@code cameraId} record now? Without a storage service: no, with a sentence saying why. */
    public WriteCheck check(String cameraId) {
        StorageService s = storage;
        if (s == null) {
            return new WriteCheck(false, StorageState.NO_PLUGIN, Optional.of(NO_STORAGE), 0, Optional.empty());
        }
        try {
            WriteCheck w = s.checkWrite(cameraId);
            if (!w.allowed()) {
                String why = w.reason().map(r -> "Recording waits for the recordings storage: " + r)
                        .orElse("Recording waits for the recordings storage (" + w.state().name()
                                .toLowerCase(java.util.Locale.ROOT) + ").");
                return new WriteCheck(false, w.state(), Optional.of(why), w.freeBytes(), w.timeLeft());
            }
            return w;
        } catch (RuntimeException e) {
            return new WriteCheck(false, StorageState.FAILED, Optional.of("The recordings storage failed: "
                    + e.getMessage()), 0, Optional.empty());
        }
    }

    /** The path of a new segment (see {@link StorageService#reserveSegment}). */
    public Path reserve(String cameraId, Instant start, Container container) throws StorageUnavailableException {
        StorageService s = storage;
        if (s == null) {
            throw new StorageUnavailableException(StorageState.NO_PLUGIN, NO_STORAGE);
        }
        SegmentReservation r = s.reserveSegment(cameraId, start, container);
        return r.path();
    }

    /**
     * Tells every segment listener that {@code segment} is complete; when none takes it, it is held and announced
     * once one is back (after the ones held before it).
     */
    public void closed(ClosedSegment segment) {
        synchronized (held) {
            if (!held.isEmpty() || !deliver(segment)) {
                hold(segment);
            }
        }
    }

    /** Announcements held because no listener took them (diagnostics and tests). */
    int held() {
        synchronized (held) {
            return held.size();
        }
    }

    /** Announces the held segments, oldest first, until one is not taken. */
    private void announceHeld() {
        int delivered = 0;
        int left;
        synchronized (held) {
            while (!held.isEmpty() && deliver(held.peekFirst())) {
                held.removeFirst();
                delivered++;
            }
            left = held.size();
            if (left == 0) {
                heldWarned = false;
            }
        }
        if (delivered > 0) {
            LOG.log(Level.INFO, "{0} finished segment(s) held while the recordings storage was away are announced now"
                    + "{1}.", delivered, left == 0 ? "" : "; " + left + " still wait");
        }
    }

    /** Whether at least one listener took {@code segment} (returned normally). Called holding {@code held}. */
    private boolean deliver(ClosedSegment segment) {
        boolean taken = false;
        for (SegmentListener l : listeners) {
            try {
                l.segmentClosed(segment);
                taken = true;
            } catch (RuntimeException e) {
                if (listeners.contains(l)) {
                    LOG.log(Level.WARNING, "A segment listener failed on " + segment.path() + ": " + e, e);
                } else {
                    LOG.log(Level.DEBUG, "The segment listener for {0} went away meanwhile: {1}", segment.path(),
                            e.toString());
                }
            }
        }
        return taken;
    }

    private void hold(ClosedSegment segment) {
        if (held.size() >= MAX_HELD) {
            ClosedSegment dropped = held.removeFirst();
            LOG.log(Level.WARNING, "More than {0} finished segments wait for the recordings storage; {1} is not held"
                    + " any longer (the check at the next start catalogues it from its file).", MAX_HELD,
                    dropped.path());
        }
        held.addLast(segment);
        if (!heldWarned) {
            heldWarned = true;
            LOG.log(Level.INFO, "The recordings storage is not running; the finished segment {0} (and any after it)"
                    + " is catalogued when it is back.", segment.path());
        }
    }

    /** Tells every segment listener that {@code path} could not be completed. */
    public void abandoned(String cameraId, Path path, String reason) {
        for (SegmentListener l : listeners) {
            try {
                l.segmentAbandoned(cameraId, path, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A segment listener failed on " + path + ": " + e, e);
            }
        }
    }

    /** Calls {@code onChange} when the storage service comes, goes or changes its state. */
    public Registration watch(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    private void changed() {
        for (Runnable w : watchers) {
            w.run();
        }
    }

    @Deactivate
    void deactivate() {
        List<ClosedSegment> lost;
        synchronized (held) {
            lost = new ArrayList<>(held);
            held.clear();
        }
        if (!lost.isEmpty()) {
            LOG.log(Level.WARNING, "{0} finished segment(s) were not catalogued because the recordings storage did"
                    + " not come back before the recorder stopped (the first: {1}); the check at the next start"
                    + " catalogues them from their files.", lost.size(), lost.get(0).path());
        }
        Registration w = storageWatch;
        storageWatch = null;
        closeQuietly(w);
        watchers.clear();
        listeners.clear();
        storage = null;
    }

    private static void closeQuietly(Registration r) {
        if (r != null) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing a storage watch failed: {0}", e.toString());
            }
        }
    }
}
