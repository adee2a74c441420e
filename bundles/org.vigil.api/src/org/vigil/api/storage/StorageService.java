package org.vigil.api.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.codec.Container;
import org.vigil.api.job.Job;
import org.vigil.api.platform.Registration;

/**
 * The recordings storage: where segments go, whether there is room, which disk it is, and the jobs that change the
 * catalog and the disk together (deletion, check and repair, import).
 *
 * <p>A recorder integrates like this: before each segment it calls {@link #reserveSegment} (refused with a sentence
 * while the disk is full, missing or swapped, or no storage plugin is installed); it gives the returned path to its
 * muxer; when the muxer has finalised the file it announces it to every {@link SegmentListener}, or announces it
 * abandoned when the file could not be completed. It watches {@link #onStatusChange} to pause and to resume by itself
 * when {@link StorageStatus#canRecord()} becomes true again.
 */
@ProviderType
public interface StorageService {
    /** The recordings root ({@code recordingsRoot} of {@code org.vigil.recording}, else {@code <data>/recordings}). */
    Path recordingsRoot();

    StorageStatus status();

    /** Called when the state or its reason changes (on a scheduler thread: return quickly). */
    Registration onStatusChange(Consumer<StorageStatus> listener);

    /** May {@code cameraId} write a segment now, and how much room is left? Quick; never blocks on the disk. */
    WriteCheck checkWrite(String cameraId);

    /**
     * Reserves the path of the next segment of {@code cameraId} starting at {@code start}:
     * {@code <root>/<camera>/<YYYYMMDD>/<HHMMSS>.<ext>} in local time (a suffix {@code -1}, {@code -2} when taken).
     * Creates the folders. Quick enough for a streaming thread.
     *
     * @throws StorageUnavailableException when recording must pause; the message says why
     */
    SegmentReservation reserveSegment(String cameraId, Instant start, Container container)
            throws StorageUnavailableException;

    /**
     * Compares the catalog with the disk: files without rows are probed (headers only) and catalogued when playable,
     * rows of vanished files are removed, interrupted deletions are finished. Without {@code repair} nothing changes
     * and the report says what would.
     */
    Job<CheckReport> check(boolean repair);

    /**
     * As {@link #check(boolean)}; with {@code deep}, also reads the structure of every catalogued recording through
     * the container parser (what playback reads) and reports each one that is damaged or holds fewer frames than the
     * catalog says, naming the file and the damage. Damaged recordings are reported, never moved or deleted.
     *
     * @since 1.1
     */
    default Job<CheckReport> check(boolean repair, boolean deep) {
        return check(repair);
    }

    /**
     * Catalogues a tree in the old application's layout {@code <camera_id>/<YYYYMMDD>/*.mp4}. A tree under the
     * recordings root is catalogued in place; any other is copied in (moved with {@code move}), file by file, each
     * copy synced before it takes its final name.
     */
    Job<CheckReport> importTree(Path source, boolean move);

    /** Deletes (or, with a dry run, lists) segments: garbage row, unlink, folder sync, row gone; on the job runner. */
    Job<DeletionReport> delete(DeletionRequest request);

    /**
     * Protects segments from retention and deletion jobs, or lifts the protection.
     *
     * @return the number of segments changed
     */
    int setProtected(SegmentSelection selection, boolean protect);

    /**
     * Accepts the disk now mounted at the recordings root as the catalog's volume (after a deliberate disk change),
     * then checks and repairs: rows of recordings not on this disk are removed.
     */
    Job<CheckReport> adoptVolume();

    /** The report of the last check or import since start (the start-up check included). */
    Optional<CheckReport> lastCheck();
}
