package org.vigil.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.vigil.api.job.Job;
import org.vigil.api.job.JobContext;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobState;
import org.vigil.api.job.JobTask;
import org.vigil.api.platform.Registration;

/** One job: the handle users hold and the context its task sees. */
final class RunningJob<T> implements Job<T>, JobContext, Runnable {
    private static final Logger LOG = System.getLogger(RunningJob.class.getName());

    private final String id;
    private final String name;
    private final JobTask<T> task;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Consumer<Job<T>>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<JobState> state = new AtomicReference<>(JobState.QUEUED);
    private volatile JobProgress progress = JobProgress.starting();
    private volatile boolean cancelled;
    private volatile String failure;
    private volatile long startNanos;
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
    private final long number = SEQUENCE.incrementAndGet();
    private final Consumer<Job<?>> runnerListener;
    private volatile JobOwner owner;

    RunningJob(String id, String name, JobTask<T> task) {
        this(id, name, task, j -> { });
    }

    /** {@code runnerListener} hears every report of this job after its own listeners (the runner's listeners). */
    RunningJob(String id, String name, JobTask<T> task, Consumer<Job<?>> runnerListener) {
        this.id = id;
        this.name = name;
        this.task = task;
        this.runnerListener = runnerListener;
    }

    /** The order jobs were submitted in (ids hold a counter per runner, and sort as text). */
    long number() {
        return number;
    }

    JobOwner owner() {
        return owner;
    }

    void owner(JobOwner newOwner) {
        owner = newOwner;
    }

    @Override
    public void run() {
        if (!state.compareAndSet(JobState.QUEUED, JobState.RUNNING)) {
            return; // cancelled while queued
        }
        startNanos = System.nanoTime();
        notifyListeners();
        try {
            T value = task.run(this);
            if (cancelled) {
                finish(JobState.CANCELLED, null, null);
            } else {
                finish(JobState.SUCCEEDED, value, null);
            }
        } catch (CancellationException e) {
            finish(JobState.CANCELLED, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(JobState.CANCELLED, null, null);
        } catch (Exception | Error e) {
            String sentence = e.getMessage() == null ? e.toString() : e.getMessage();
            if (isBug(e)) {
                LOG.log(Level.WARNING, "Job " + id + " (" + name + ") failed unexpectedly: " + sentence, e);
            } else {
                // a failure a user can act on (a missing destination, a full disk): the sentence is the whole story
                LOG.log(Level.INFO, "Job {0} ({1}) failed: {2}", id, name, sentence);
            }
            finish(JobState.FAILED, null, e);
        }
    }

    /** Errors and unchecked exceptions other than argument/state ones are programming errors worth a stack trace. */
    private static boolean isBug(Throwable e) {
        if (e instanceof Error) {
            return true;
        }
        return e instanceof RuntimeException && !(e instanceof IllegalArgumentException)
                && !(e instanceof IllegalStateException) && !(e instanceof java.io.UncheckedIOException);
    }

    private void finish(JobState end, T value, Throwable error) {
        state.set(end);
        switch (end) {
            case SUCCEEDED -> result.complete(value);
            case CANCELLED -> result.completeExceptionally(new CancellationException(name + " was cancelled."));
            default -> {
                failure = error == null || error.getMessage() == null ? String.valueOf(error) : error.getMessage();
                result.completeExceptionally(error);
            }
        }
        finished.countDown();
        notifyListeners();
        listeners.clear();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public JobState state() {
        return state.get();
    }

    @Override
    public JobProgress progress() {
        return progress;
    }

    @Override
    public void cancel() {
        cancelled = true;
        if (state.compareAndSet(JobState.QUEUED, JobState.CANCELLED)) {
            result.completeExceptionally(new CancellationException(name + " was cancelled before it started."));
            finished.countDown();
            notifyListeners();
            listeners.clear();
        }
    }

    @Override
    public CompletionStage<T> result() {
        return result.minimalCompletionStage();
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Registration onProgress(Consumer<Job<T>> listener) {
        if (state().isFinished()) {
            listener.accept(this);
            return () -> { };
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public boolean isCancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    @Override
    public void progress(String phase, long done, long total, String unit, long itemsDone, long itemsTotal) {
        JobProgress p = progress;
        progress = new JobProgress(phase, done, total, unit, itemsDone, itemsTotal, elapsed(), p.message());
        notifyListeners();
    }

    @Override
    public void message(String message) {
        JobProgress p = progress;
        progress = new JobProgress(p.phase(), p.done(), p.total(), p.unit(), p.itemsDone(), p.itemsTotal(), elapsed(),
                message == null ? "" : message);
        notifyListeners();
    }

    private Duration elapsed() {
        return startNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void notifyListeners() {
        for (Consumer<Job<T>> l : listeners) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A progress listener of job " + id + " failed: " + e, e);
            }
        }
        try {
            runnerListener.accept(this);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A job listener failed on job " + id + ": " + e, e);
        }
    }
}
