package org.vigil.core.internal.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.web.api.WebEvents;

/**
 * Turns the job runner's reports into events: {@code job.progress} at most every 500 ms per job (the first report
 * of a job always goes), {@code job.done} once when it ends. Nothing is sent while no event stream runs.
 */
final class JobEventPublisher {
    static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;

    private final JobRunner jobs;
    private final Supplier<WebEvents> events;
    private final LongSupplier clock;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    JobEventPublisher(JobRunner jobs, Supplier<WebEvents> events) {
        this(jobs, events, System::nanoTime);
    }

    JobEventPublisher(JobRunner jobs, Supplier<WebEvents> events, LongSupplier clock) {
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    void report(Job<?> job) {
        WebEvents e = events.get();
        if (job.state().isFinished()) {
            lastSent.remove(job.id());
            if (e != null) {
                e.publish("job.done", JobJson.of(job, jobs.owner(job.id()), true));
            }
            return;
        }
        long now = clock.getAsLong();
        Long last = lastSent.get(job.id());
        if (last != null && now - last < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastSent.put(job.id(), now);
        if (e != null) {
            e.publish("job.progress", JobJson.of(job, jobs.owner(job.id()), false));
        }
    }
}
