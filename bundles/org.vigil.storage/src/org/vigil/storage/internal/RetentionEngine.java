package org.vigil.storage.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.vigil.api.command.Bytes;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.RetentionReport;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.storage.internal.catalog.SegmentRow;

/**
 * Retention, run on the shared scheduler in slices of at most {@value #SLICE_MS} ms (a long backlog continues in the
 * next slice so that other tasks get their turn). Deletes in small batches through the deletion protocol; only
 * unprotected, catalogued segments (a segment being written has no row yet).
 */
final class RetentionEngine {
    private static final Logger LOG = System.getLogger(RetentionEngine.class.getName());
    static final long SLICE_MS = 2000;
    private static final int BATCH = 32;
    private static final long FAR_FUTURE = 1L << 52;

    private final StorageCore core;
    private final Deleter deleter;
    private final BooleanSupplier volumeReady;
    private final Runnable afterRun;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ConcurrentLinkedQueue<CompletableFuture<RetentionReport>> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean again;
    private volatile RetentionSettings settings;
    private volatile CameraLimits defaultLimits = CameraLimits.NONE;
    private volatile RetentionReport last;
    private volatile boolean nothingToDelete;
    private volatile Optional<String> heldBack = Optional.empty();

    RetentionEngine(StorageCore core, Deleter deleter, RetentionSettings settings, BooleanSupplier volumeReady,
            Runnable afterRun) {
        this.core = core;
        this.deleter = deleter;
        this.settings = settings;
        this.volumeReady = volumeReady;
        this.afterRun = afterRun;
    }

    /** Each camera's own limits, a missing one taken from {@code defaults}. */
    static Map<String, CameraLimits> withDefaults(Map<String, CameraLimits> own, List<String> cameras,
            CameraLimits defaults) {
        if (defaults.isNone()) {
            return own;
        }
        Map<String, CameraLimits> result = new java.util.TreeMap<>(own);
        for (String camera : cameras) {
            CameraLimits l = result.getOrDefault(camera, CameraLimits.NONE);
            result.put(camera, new CameraLimits(l.maxAge().isPresent() ? l.maxAge() : defaults.maxAge(),
                    l.maxBytes().isPresent() ? l.maxBytes() : defaults.maxBytes()));
        }
        return result;
    }

    RetentionSettings settings() {
        return settings;
    }

    /** The limits of cameras that have none of their own (the global retention settings). */
    void defaultLimits(CameraLimits limits) {
        defaultLimits = limits;
    }

    CameraLimits defaultLimits() {
        return defaultLimits;
    }

    void settings(RetentionSettings s) {
        settings = s;
    }

    Optional<RetentionReport> last() {
        return Optional.ofNullable(last);
    }

    boolean nothingToDelete() {
        return nothingToDelete;
    }

    /**
     * Retention's sentence while it deletes nothing for space because even deleting every recording it may delete
     * would not reach the floor (other files fill the disk); empty otherwise.
     */
    Optional<String> heldBack() {
        return heldBack;
    }

    /** Sets (or with an empty value clears) the held-back sentence, saying so once in the log when it changes. */
    void heldBack(Optional<String> next) {
        Optional<String> previous = heldBack;
        heldBack = next;
        if (next.isPresent() && previous.isEmpty()) {
            LOG.log(Level.WARNING, next.get());
        } else if (next.isEmpty() && previous.isPresent()) {
            LOG.log(Level.INFO, "Retention may delete for free space again: the disk has room or deleting can make"
                    + " enough room.");
        }
    }

    CompletionStage<RetentionReport> runNow() {
        CompletableFuture<RetentionReport> f = new CompletableFuture<>();
        waiting.add(f);
        request();
        return f;
    }

    /** Asks for a run soon; several requests while one runs make one more run. */
    void request() {
        again = true;
        if (core.closed || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            core.scheduler.execute("retention", this::slice);
        } catch (RuntimeException e) {
            running.set(false);
        }
    }

    private void slice() {
        boolean more = false;
        try {
            again = false;
            List<CompletableFuture<RetentionReport>> answering = new ArrayList<>();
            for (CompletableFuture<RetentionReport> f; (f = waiting.poll()) != null;) {
                answering.add(f);
            }
            RetentionReport r;
            try {
                r = runOnce(System.currentTimeMillis() + SLICE_MS);
            } catch (Exception | Error e) {
                if (core.closed) {
                    // the storage stopped during the run (a one-shot command ends): the next start runs it again
                    LOG.log(Level.DEBUG, "Retention stopped with the storage service: {0}", e.toString());
                } else {
                    LOG.log(Level.WARNING, "Retention failed: " + e, e);
                }
                answering.forEach(f -> f.completeExceptionally(e));
                return;
            }
            last = r;
            more = r.took().toMillis() >= SLICE_MS && r.deleted() > 0;
            if (r.deleted() > 0) {
                LOG.log(Level.INFO, "Retention deleted {0} segments ({1}): {2} for age, {3} for size, {4} for free"
                        + " space{5}.", r.deleted(), Bytes.text(r.bytesFreed()), r.deletedForAge(),
                        r.deletedForBytes(), r.deletedForSpace(), r.emergency() ? " (emergency)" : "");
            }
            answering.forEach(f -> f.complete(r));
        } finally {
            running.set(false);
            try {
                afterRun.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Updating the storage status after retention failed: " + e, e);
            }
            if ((more || again || !waiting.isEmpty()) && !core.closed) {
                request();
            }
        }
    }

    private RetentionReport runOnce(long deadline) throws Exception {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        long[] counts = new long[4]; // age, bytes, space, bytes freed
        Optional<String> problem = Optional.empty();
        boolean emergency = false;
        SpaceInfo space = SpaceInfo.UNKNOWN;
        StoragePlugin plugin = core.plugins.current().orElse(null);
        if (plugin == null || !volumeReady.getAsBoolean() || core.closed) {
            problem = Optional.of("Retention did not run: the recordings volume is not available.");
        } else {
            RetentionSettings s = settings;
            Map<String, CameraLimits> limits = withDefaults(core.store.limits(), core.store.cameras(), defaultLimits);
            long now = System.currentTimeMillis();
            outer:
            for (Map.Entry<String, CameraLimits> e : limits.entrySet()) {
                if (e.getValue().maxAge().isEmpty()) {
                    continue;
                }
                long cutoff = now - e.getValue().maxAge().get().toMillis();
                while (true) {
                    List<SegmentRow> rows = core.store.oldest(e.getKey(), BATCH, cutoff);
                    if (rows.isEmpty()) {
                        break;
                    }
                    if (delete(rows, counts, 0) == 0 || System.currentTimeMillis() > deadline) {
                        break outer;
                    }
                }
            }
            outer:
            for (Map.Entry<String, CameraLimits> e : limits.entrySet()) {
                if (e.getValue().maxBytes().isEmpty()) {
                    continue;
                }
                long max = e.getValue().maxBytes().getAsLong();
                long total = core.store.bytesOf(e.getKey());
                while (total > max) {
                    List<SegmentRow> take = enough(core.store.oldest(e.getKey(), BATCH, FAR_FUTURE), total - max);
                    if (take.isEmpty()) {
                        break;
                    }
                    long freed = counts[3];
                    if (delete(take, counts, 1) == 0 || System.currentTimeMillis() > deadline) {
                        break outer;
                    }
                    total -= counts[3] - freed;
                }
            }
            space = plugin.space(core.root());
            SpacePolicy.Assessment a = SpacePolicy.assess(space, core.bitrate.bytesPerSecond(), s, false);
            emergency = a.emergency();
            boolean stuck = false;
            Optional<String> held = Optional.empty();
            if (a.retentionNeeded()) {
                long free = space.freeBytes();
                long deletable = core.store.unprotectedBytes();
                long toFloor = a.floorFreeBytes() - free;
                long toGoal = a.goalFreeBytes() - free;
                if (deletable == 0) {
                    stuck = true;
                    problem = Optional.of("Free space is low and nothing more can be deleted: every remaining"
                            + " recording is protected or being written.");
                } else if (toFloor > deletable) {
                    // other files fill the disk: deleting the whole history would not help, so keep it
                    held = Optional.of("Retention deletes nothing: deleting every recording it may delete ("
                            + Bytes.text(deletable) + ") would still leave less than the " + Bytes.text(
                                    a.floorFreeBytes()) + " free that are needed, because other files fill the disk;"
                            + " free at least " + Bytes.text(toFloor - deletable) + " on the disk (or "
                            + Bytes.text(toFloor) + " with recordings deleted by hand).");
                    problem = held;
                } else {
                    // reach the floor for certain; towards the goal beyond it, at most half of what may be deleted
                    long want = Math.max(toFloor, Math.min(toGoal, deletable / 2));
                    long stopAt = free + want;
                    long freedBefore = counts[3];
                    while (space.freeBytes() < stopAt && System.currentTimeMillis() <= deadline) {
                        long budget = want - (counts[3] - freedBefore);
                        if (budget <= 0) {
                            break;
                        }
                        List<SegmentRow> rows = enough(core.store.oldestOverall(BATCH),
                                Math.min(budget, stopAt - space.freeBytes()));
                        if (rows.isEmpty() || delete(rows, counts, 2) == 0) {
                            break;
                        }
                        space = plugin.space(core.root());
                    }
                }
            }
            heldBack(held);
            nothingToDelete = stuck;
        }
        return new RetentionReport(started, Duration.ofNanos(System.nanoTime() - t0), counts[0], counts[1], counts[2],
                counts[3], emergency, space, problem);
    }

    /** The oldest rows whose sizes add up to {@code bytes} (at least one), so that retention never overshoots. */
    private static List<SegmentRow> enough(List<SegmentRow> oldestFirst, long bytes) {
        List<SegmentRow> take = new ArrayList<>();
        long left = bytes;
        for (SegmentRow r : oldestFirst) {
            take.add(r);
            left -= r.bytes();
            if (left <= 0) {
                break;
            }
        }
        return take;
    }

    private int delete(List<SegmentRow> rows, long[] counts, int reason) throws Exception {
        core.maintenance.lock();
        try {
            Deleter.Outcome o = deleter.delete(rows);
            counts[reason] += o.deleted().size();
            counts[3] += o.bytes();
            return o.deleted().size();
        } finally {
            core.maintenance.unlock();
        }
    }
}
