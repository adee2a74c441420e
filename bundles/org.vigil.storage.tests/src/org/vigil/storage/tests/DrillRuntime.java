package org.vigil.storage.tests;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.vigil.api.job.Job;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.job.JobTask;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;

/** The smallest scheduler and job runner a crash drill's JVM needs (no framework there). */
final class DrillRuntime implements Scheduler, JobRunner {
    private final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2);

    @Override
    public Future<?> execute(String name, Runnable task) {
        return pool.submit(task);
    }

    @Override
    public <T> Future<T> submit(String name, Callable<T> task) {
        return pool.submit(task);
    }

    @Override
    public ScheduledFuture<?> schedule(String name, Runnable task, Duration delay) {
        return pool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(String name, Runnable task, Duration initialDelay, Duration period) {
        return pool.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Job<T> submit(String kind, String name, JobTask<T> task) {
        DrillJob<T> job = new DrillJob<>(name, task);
        new Thread(job::run, "drill-" + kind).start();
        return job;
    }

    @Override
    public List<Job<?>> active() {
        return List.of();
    }

    @Override
    public Optional<Job<?>> find(String id) {
        return Optional.empty();
    }

    @Override
    public List<Job<?>> recent() {
        return List.of();
    }

    @Override
    public Registration addListener(Consumer<Job<?>> listener) {
        return () -> { };
    }

    @Override
    public void own(Job<?> job, org.vigil.api.job.JobOwner owner) {
        // drills do not run jobs for the network API
    }

    @Override
    public Optional<org.vigil.api.job.JobOwner> owner(String id) {
        return Optional.empty();
    }

    private static final class DrillJob<T> implements Job<T>, JobContext {
        private final String name;
        private final JobTask<T> task;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile JobState state = JobState.RUNNING;
        private volatile JobProgress progress = JobProgress.starting();
        private volatile boolean cancelled;

        DrillJob(String name, JobTask<T> task) {
            this.name = name;
            this.task = task;
        }

        void run() {
            try {
                result.complete(task.run(this));
                state = JobState.SUCCEEDED;
            } catch (CancellationException e) {
                state = JobState.CANCELLED;
                result.completeExceptionally(e);
            } catch (Exception e) {
                state = JobState.FAILED;
                result.completeExceptionally(e);
            } finally {
                done.countDown();
            }
        }

        @Override
        public String id() {
            return "drill";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public JobState state() {
            return state;
        }

        @Override
        public JobProgress progress() {
            return progress;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public CompletionStage<T> result() {
            return result;
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public Registration onProgress(Consumer<Job<T>> listener) {
            return () -> { };
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void progress(String phase, long d, long total, String unit, long itemsDone, long itemsTotal) {
            progress = new JobProgress(phase, d, total, unit, itemsDone, itemsTotal, Duration.ZERO, "");
        }

        @Override
        public void message(String message) {
        }
    }
}
