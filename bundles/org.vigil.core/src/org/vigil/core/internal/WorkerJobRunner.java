package org.vigil.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobTask;
import org.vigil.api.platform.Registration;

/**
 * Runs jobs on two non-daemon worker threads. Stopping cancels every job and waits (bounded by
 * {@value #STOP_TIMEOUT_PROPERTY}, default 30 s) for each to finish or roll back its file in hand.
 */
@Component(service = JobRunner.class)
public final class WorkerJobRunner implements JobRunner {
    static final String STOP_TIMEOUT_PROPERTY = "vigil.jobs.stopTimeoutSeconds";
    private static final Logger LOG = System.getLogger(WorkerJobRunner.class.getName());
    private static final int KEEP_FINISHED = 50;

    private final ExecutorService workers;
    private final Duration stopTimeout;
    private final Map<String, RunningJob<?>> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final List<Consumer<Job<?>>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    @Activate
    public WorkerJobRunner(BundleContext context) {
        this(2, Duration.ofSeconds(SharedScheduler.intProperty(context, STOP_TIMEOUT_PROPERTY, 30)));
    }

    public WorkerJobRunner(int threads, Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new NamedThreadFactory("vigil-job"));
    }

    @Override
    public <T> Job<T> submit(String kind, String name, JobTask<T> task) {
        if (stopped) {
            throw new IllegalStateException("Vigil is stopping; the job '" + name + "' was not started.");
        }
        String id = kind + "-" + counter.incrementAndGet();
        RunningJob<T> job = new RunningJob<>(id, name, task, this::notifyListeners);
        forgetOldJobs();
        jobs.put(id, job);
        try {
            workers.execute(job);
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            throw new IllegalStateException("Vigil is stopping; the job '" + name + "' was not started.");
        }
        return job;
    }

    @Override
    public List<Job<?>> active() {
        List<Job<?>> result = new ArrayList<>();
        for (RunningJob<?> j : jobs.values()) {
            if (!j.state().isFinished()) {
                result.add(j);
            }
        }
        result.sort((a, b) -> a.id().compareTo(b.id()));
        return result;
    }

    @Override
    public Optional<Job<?>> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public List<Job<?>> recent() {
        List<RunningJob<?>> all = new ArrayList<>(jobs.values());
        all.sort((a, b) -> Long.compare(b.number(), a.number()));
        return new ArrayList<>(all);
    }

    @Override
    public Registration addListener(Consumer<Job<?>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void own(Job<?> job, JobOwner owner) {
        RunningJob<?> j = jobs.get(job.id());
        if (j == job) {
            j.owner(owner);
        }
    }

    @Override
    public Optional<JobOwner> owner(String id) {
        RunningJob<?> j = jobs.get(id);
        return j == null ? Optional.empty() : Optional.ofNullable(j.owner());
    }

    private void notifyListeners(Job<?> job) {
        for (Consumer<Job<?>> l : listeners) {
            l.accept(job);
        }
    }

    /** Cancels every job and waits, bounded, for each to end; logs clearly when one did not stop in time. */
    @Deactivate
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Job<?>> running = active();
        running.forEach(Job::cancel);
        workers.shutdown();
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        for (Job<?> job : running) {
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!job.await(left)) {
                    LOG.log(Level.WARNING, "The job {0} ({1}) did not stop within {2} s of being cancelled; it is "
                            + "interrupted now.", job.id(), job.name(), stopTimeout.toSeconds());
                } else {
                    LOG.log(Level.INFO, "The job {0} ({1}) was stopped: {2}.", job.id(), job.name(), job.state());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void forgetOldJobs() {
        if (jobs.size() < KEEP_FINISHED) {
            return;
        }
        // the oldest finished jobs go first, so that a client asking about a job it just started finds it
        List<RunningJob<?>> finished = new ArrayList<>();
        for (RunningJob<?> j : jobs.values()) {
            if (j.state().isFinished()) {
                finished.add(j);
            }
        }
        finished.sort((a, b) -> Long.compare(a.number(), b.number()));
        for (int i = 0; i < finished.size() && jobs.size() >= KEEP_FINISHED; i++) {
            jobs.remove(finished.get(i).id());
        }
    }
}
