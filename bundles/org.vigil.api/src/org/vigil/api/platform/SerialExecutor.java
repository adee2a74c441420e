package org.vigil.api.platform;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Runs tasks one at a time, in the order they were given, on the shared scheduler's threads: state confined to it
 * (a camera's state machine, a playback session) needs no lock while GStreamer is called, and no thread of its own.
 * A task that throws is logged; the next one runs. When the scheduler is stopping, tasks run on the caller's thread
 * rather than being lost (a release must still happen).
 */
public final class SerialExecutor {
    private static final Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Scheduler scheduler;
    private final String name;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private volatile Thread current;

    /** @param name for logs and the scheduler's thread names ("camera front") */
    public SerialExecutor(Scheduler scheduler, String name) {
        this.scheduler = scheduler;
        this.name = name;
    }

    /** Queues {@code task} behind the ones already given. Any thread. */
    public void execute(Runnable task) {
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
            // the scheduler is stopping: run here rather than lose a release
            synchronized (tasks) {
                running = false;
            }
            LOG.log(Level.DEBUG, "{0}: scheduler unavailable ({1}); running on the caller''s thread.", name,
                    e.toString());
            drainHere();
        }
    }

    /** Whether the calling thread is running one of this executor's tasks. */
    public boolean inExecutor() {
        return current == Thread.currentThread();
    }

    private void drain() {
        current = Thread.currentThread();
        try {
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
        } finally {
            current = null;
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
            Thread previous = current;
            current = Thread.currentThread();
            try {
                run(task);
            } finally {
                current = previous;
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
