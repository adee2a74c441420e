package org.vigil.api.platform;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Runs tasks one at a time, in the order they were given, on the shared scheduler's threads: state confined to it
 * (a camera's state machine, a playback session) needs no lock while GStreamer is called, and no thread of its own.
 * When the scheduler is stopping, tasks run on the caller's thread rather than being lost (a release must still
 * happen).
 * <p>
 * A task's failure never stops the executor: whatever a task throws ({@link RuntimeException}, {@link Error} of any
 * kind) is logged with the executor's name and the task's (WARNING for an exception, ERROR for an error) and the next
 * task runs. That includes {@link VirtualMachineError}s, deliberately: a {@link StackOverflowError} has unwound the
 * task's own stack and leaves the thread usable, and an executor that stopped would silently stop a camera's state
 * machine (no recording, no status) while everything else looked alive. {@link OutOfMemoryError} does not get this
 * far in the product: {@code bin/vigil} runs the JVM with {@code -XX:+ExitOnOutOfMemoryError} so that the service
 * manager restarts a clean process; where it does arrive (an embedding without that flag) it is logged like the rest.
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
        execute(null, task);
    }

    /**
     * Queues {@code task} behind the ones already given; {@code what} names it in the log when it fails ("connect",
     * "segment closed"). Any thread.
     */
    public void execute(String what, Runnable task) {
        Runnable named = what == null ? task : new Named(what, task);
        synchronized (tasks) {
            tasks.add(named);
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
        } catch (Exception e) {
            LOG.log(Level.WARNING, name + ": the task " + describe(task) + " failed: " + e, e);
        } catch (Throwable e) { // an Error of any kind: see the class comment
            LOG.log(Level.ERROR, name + ": the task " + describe(task) + " failed with an error: " + e
                    + "; the next tasks still run.", e);
        }
    }

    /** The task's name, or its class without the lambda's generated suffix ("CameraSupervisor$$Lambda"). */
    static String describe(Runnable task) {
        if (task instanceof Named n) {
            return "'" + n.what + "'";
        }
        String c = task.getClass().getName();
        int lambda = c.indexOf("$$Lambda");
        return lambda < 0 ? c : c.substring(0, lambda) + " (lambda)";
    }

    private record Named(String what, Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }
}
