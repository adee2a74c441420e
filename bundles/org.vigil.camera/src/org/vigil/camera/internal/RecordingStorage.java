package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
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
 * {@link SegmentListener} whiteboard the cameras announce finished segments to.
 */
@Component(service = RecordingStorage.class)
public final class RecordingStorage {
    static final String NO_STORAGE = "The recordings storage is not running (bundle org.vigil.storage); recording"
            + " starts by itself when it is.";
    private static final Logger LOG = System.getLogger(RecordingStorage.class.getName());

    private volatile StorageService storage;
    private volatile Registration storageWatch;
    private final List<SegmentListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorage(StorageService s) {
        Registration old = storageWatch;
        storage = s;
        storageWatch = s.onStatusChange(status -> changed());
        closeQuietly(old);
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

    /** Tells every segment listener that {@code segment} is complete. */
    public void closed(ClosedSegment segment) {
        for (SegmentListener l : listeners) {
            try {
                l.segmentClosed(segment);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A segment listener failed on " + segment.path() + ": " + e, e);
            }
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
