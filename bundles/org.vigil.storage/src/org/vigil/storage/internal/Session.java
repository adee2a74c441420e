package org.vigil.storage.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.CatalogSession;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.QueryCancel;

/**
 * One caller's asynchronous queries: each runs on the shared scheduler; a new request cancels the previous one (queued:
 * it never starts; running: its statement is interrupted) so two of a caller's queries never run at once and a stale
 * answer never arrives after a fresh one (seed S4, S8, S12).
 */
final class Session implements CatalogSession {
    @FunctionalInterface
    interface Query<T> {
        T run(QueryCancel cancel) throws Exception;
    }

    private static final class Request<T> {
        final QueryCancel cancel = new QueryCancel();
        final CompletableFuture<T> result = new CompletableFuture<>();
        volatile Future<?> task;

        void cancel(String why) {
            cancel.cancel();
            result.completeExceptionally(new CancellationException(why));
            Future<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private final Scheduler scheduler;
    private final CatalogStore store;
    private final AtomicReference<Request<?>> current = new AtomicReference<>();
    private volatile boolean closed;

    Session(Scheduler scheduler, CatalogStore store) {
        this.scheduler = scheduler;
        this.store = store;
    }

    <T> CompletionStage<T> submit(String what, Query<T> query) {
        Request<T> r = new Request<>();
        if (closed) {
            r.result.completeExceptionally(new IllegalStateException("This catalog session is closed."));
            return r.result;
        }
        Request<?> old = current.getAndSet(r);
        if (old != null) {
            old.cancel("Superseded by a newer request.");
        }
        try {
            r.task = scheduler.execute("catalog-query " + what, () -> {
                try {
                    if (!r.cancel.isCancelled()) {
                        r.result.complete(query.run(r.cancel));
                    }
                } catch (CancellationException e) {
                    r.result.completeExceptionally(e);
                } catch (Exception e) {
                    r.result.completeExceptionally(e);
                } finally {
                    current.compareAndSet(r, null);
                }
            });
        } catch (RuntimeException e) {
            current.compareAndSet(r, null);
            r.result.completeExceptionally(new IllegalStateException("Vigil is stopping; the query was not run."));
        }
        return r.result;
    }

    @Override
    public CompletionStage<Page<Segment>> segments(SegmentQuery query) {
        return submit("segments", c -> store.segments(query, c));
    }

    @Override
    public CompletionStage<List<DayCoverage>> days(Set<String> cameras) {
        return submit("days", c -> store.days(cameras, c));
    }

    @Override
    public CompletionStage<List<HourCoverage>> hours(String cameraId, Instant from, Instant to) {
        return submit("hours", c -> store.hours(cameraId, from, to, c));
    }

    @Override
    public CompletionStage<List<CameraTotals>> totals() {
        return submit("totals", store::totals);
    }

    @Override
    public void cancel() {
        Request<?> r = current.getAndSet(null);
        if (r != null) {
            r.cancel("Cancelled.");
        }
    }

    @Override
    public void close() {
        closed = true;
        cancel();
    }
}
