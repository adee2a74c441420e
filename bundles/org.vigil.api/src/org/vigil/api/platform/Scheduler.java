package org.vigil.api.platform;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one shared scheduler of a Vigil instance: every timer, delay and periodic task runs here, on named threads,
 * never on threads a component creates itself and never as a sleep (lifecycle rule 6, seed S14).
 * Tasks should be short; long work goes through {@link org.vigil.api.job.JobRunner}.
 */
@ProviderType
public interface Scheduler {
    /** Runs {@code task} as soon as a thread is free. */
    Future<?> execute(String name, Runnable task);

    /** Runs {@code task} as soon as a thread is free and gives its result. */
    <T> Future<T> submit(String name, Callable<T> task);

    /** Runs {@code task} once after {@code delay}. */
    ScheduledFuture<?> schedule(String name, Runnable task, Duration delay);

    /** Runs {@code task} every {@code period}, first after {@code initialDelay}; a run that throws is logged, not fatal. */
    ScheduledFuture<?> scheduleAtFixedRate(String name, Runnable task, Duration initialDelay, Duration period);
}
