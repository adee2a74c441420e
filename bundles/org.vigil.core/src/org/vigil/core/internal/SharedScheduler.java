package org.vigil.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vigil.api.platform.Scheduler;

/**
 * The shared scheduler: a small pool of named threads for every timer and short task of the instance.
 * Stopping it cancels what is scheduled and waits, bounded, for running tasks.
 */
@Component(service = Scheduler.class)
public final class SharedScheduler implements Scheduler {
    static final String THREADS_PROPERTY = "vigil.scheduler.threads";
    static final String STOP_TIMEOUT_PROPERTY = "vigil.scheduler.stopTimeoutSeconds";
    private static final Logger LOG = System.getLogger(SharedScheduler.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private final Duration stopTimeout;

    @Activate
    public SharedScheduler(BundleContext context) {
        this(intProperty(context, THREADS_PROPERTY, 4), Duration.ofSeconds(intProperty(context, STOP_TIMEOUT_PROPERTY, 5)));
    }

    public SharedScheduler(int threads, Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
        this.executor = new ScheduledThreadPoolExecutor(threads, new NamedThreadFactory("vigil-scheduler"));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public Future<?> execute(String name, Runnable task) {
        return executor.submit(named(name, task));
    }

    @Override
    public <T> Future<T> submit(String name, Callable<T> task) {
        return executor.submit(() -> {
            Thread t = Thread.currentThread();
            String old = t.getName();
            t.setName(old + " " + name);
            try {
                return task.call();
            } finally {
                t.setName(old);
            }
        });
    }

    @Override
    public ScheduledFuture<?> schedule(String name, Runnable task, Duration delay) {
        return executor.schedule(named(name, task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(String name, Runnable task, Duration initialDelay, Duration period) {
        return executor.scheduleAtFixedRate(named(name, task), Math.max(0, initialDelay.toNanos()), period.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Stops the scheduler: scheduled tasks are dropped, running ones get {@code stopTimeout} to finish. */
    @Deactivate
    public void stop() {
        if (executor.isTerminated()) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                List<Runnable> dropped = executor.shutdownNow();
                LOG.log(Level.WARNING, "The scheduler did not stop within {0} s; interrupted its running tasks ({1} "
                        + "waiting tasks dropped).", stopTimeout.toSeconds(), dropped.size());
                executor.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Wraps a task so that a failure is logged (a periodic task keeps running) and the thread says what runs. */
    private static Runnable named(String name, Runnable task) {
        return () -> {
            Thread t = Thread.currentThread();
            String old = t.getName();
            t.setName(old + " " + name);
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Scheduled task '" + name + "' failed: " + e, e);
            } finally {
                t.setName(old);
            }
        };
    }

    static int intProperty(BundleContext context, String key, int fallback) {
        String value = context == null ? null : context.getProperty(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "The setting {0}={1} is not a whole number; using {2}.", key, value, fallback);
            return fallback;
        }
    }
}
