package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.vigil.api.platform.Scheduler;

/**
 * Runs the readings periodically on the shared scheduler and stops them for good: {@link #stop(Duration)} cancels
 * the schedule and waits, bounded, for a round in progress, warning when it does not end in time (seed S6: the
 * old monitor thread was never joined). Rounds never overlap.
 */
final class Sampler {
    private static final Logger LOG = System.getLogger(Sampler.class.getName());

    private final Scheduler scheduler;
    private final String name;
    private final Runnable round;
    private final ReentrantLock running = new ReentrantLock();
    private ScheduledFuture<?> future;
    private volatile boolean stopped;

    Sampler(Scheduler scheduler, String name, Runnable round) {
        this.scheduler = scheduler;
        this.name = name;
        this.round = round;
    }

    /** Starts the rounds, or changes their period; nothing after {@link #stop(Duration)}. */
    synchronized void start(Duration initialDelay, Duration period) {
        if (stopped) {
            return;
        }
        if (future != null) {
            future.cancel(false);
        }
        future = scheduler.scheduleAtFixedRate(name, this::runRound, initialDelay, period);
    }

    private void runRound() {
        if (stopped || !running.tryLock()) {
            return; // stopping, or the previous schedule's round still runs after a change of period
        }
        try {
            if (!stopped) {
                round.run();
            }
        } finally {
            running.unlock();
        }
    }

    /**
     * Stops the rounds and waits up to {@code bound} for the one in progress. Returns true when none runs any more.
     * Idempotent; never throws.
     */
    boolean stop(Duration bound) {
        synchronized (this) {
            stopped = true;
            if (future != null) {
                future.cancel(false);
                future = null;
            }
        }
        try {
            if (running.tryLock(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                running.unlock();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.WARNING, "The {0} did not stop within {1} s: a reading hangs (an unreachable disk?); it ends"
                + " after that reading and takes no more.", name, bound.toMillis() / 1000.0);
        return false;
    }

    boolean isStopped() {
        return stopped;
    }
}
