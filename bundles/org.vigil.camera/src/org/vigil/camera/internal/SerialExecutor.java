package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Queue;

import org.vigil.api.platform.Scheduler;

/**
 * Runs tasks one at a time, in the order they were given, on the shared scheduler's threads: a camera's state changes
 * never run concurrently and never need a thread of their own. A task that throws is logged; the next one runs.
 */
final class SerialExecutor {
    private static final Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Scheduler scheduler;
    private final String name;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Scheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.name = name;
    }

    void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            scheduler.execute(name, this::drain);
        } catch (RuntimeException e) {
            // the scheduler is stopping: run here rather than lose a state change
            synchronized (tasks) {
                running = false;
            }
            LOG.log(Level.DEBUG, "{0}: scheduler unavailable ({1}); running on the caller''s thread.", name,
                    e.toString());
            drainHere();
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            run(task);
        }
    }

    private void drainHere() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                if (running) {
                    return;
                }
                task = tasks.poll();
                if (task == null) {
                    return;
                }
                running = true;
            }
            try {
                run(task);
            } finally {
                synchronized (tasks) {
                    running = false;
                }
            }
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, name + ": a task failed: " + e, e);
        }
    }
}
