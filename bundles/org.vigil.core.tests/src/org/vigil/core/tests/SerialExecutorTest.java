package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.core.internal.SharedScheduler;

/**
 * The serial executor on the real shared scheduler: a camera's state machine and a playback session run on it, so a
 * task that fails in any way must never stop the tasks after it (before the fix, one {@link Error} other than a
 * {@link LinkageError} left the executor "running" for good and every later task was queued for ever).
 */
class SerialExecutorTest {
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(SerialExecutor.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @InjectService(timeout = 5000)
    Scheduler scheduler;

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void anyErrorInATaskIsLoggedWithItsNameAndTheNextTasksRun() throws Exception {
        SerialExecutor executor = new SerialExecutor(scheduler, "serial test");
        List<Runnable> failures = List.of(
                () -> {
                    throw new AssertionError("an assertion in a task");
                },
                () -> recurse(0), // a real StackOverflowError
                () -> {
                    throw new OutOfMemoryError("thrown by the task itself");
                },
                () -> {
                    throw new IllegalStateException("an exception in a task");
                },
                () -> {
                    throw new NoClassDefFoundError("a linkage error");
                });
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        for (int i = 0; i < failures.size(); i++) {
            executor.execute("failing " + i, failures.get(i));
            int n = i;
            executor.execute(() -> ran.add("after " + n));
        }
        executor.execute(last::countDown);
        assertTrue(last.await(10, TimeUnit.SECONDS), "the executor stopped after a failing task; ran: " + ran);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < failures.size(); i++) {
            expected.add("after " + i);
        }
        assertEquals(expected, ran, "every task after a failure ran, in order");

        for (int i = 0; i < failures.size(); i++) {
            String name = "'failing " + i + "'";
            LogRecord r = logged.stream().filter(l -> l.getMessage().contains(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log line names the task " + name + ": " + messages()));
            assertTrue(r.getMessage().startsWith("serial test: the task " + name + " failed"), r.getMessage());
            assertTrue(r.getThrown() != null, "the log has the stack trace");
            Level expectedLevel = r.getThrown() instanceof Error ? Level.SEVERE : Level.WARNING;
            assertEquals(expectedLevel, r.getLevel(), r.getMessage());
        }

        // and it goes on taking work afterwards
        CountDownLatch later = new CountDownLatch(1);
        executor.execute(later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS), "the executor took no work after the failures");
    }

    @Test
    void anUnnamedTaskIsNamedByTheClassThatGaveIt() throws Exception {
        SerialExecutor executor = new SerialExecutor(scheduler, "unnamed test");
        CountDownLatch done = new CountDownLatch(1);
        executor.execute(() -> {
            throw new AssertionError("unnamed");
        });
        executor.execute(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(logged.stream().anyMatch(l -> l.getMessage().startsWith("unnamed test: the task "
                + SerialExecutorTest.class.getName() + " (lambda) failed")), messages());
    }

    @Test
    void whenTheSchedulerHasStoppedTasksRunOnTheCallerAndAnErrorDoesNotStopThem() throws Exception {
        SharedScheduler own = new SharedScheduler(1, Duration.ofSeconds(5));
        own.stop();
        SerialExecutor executor = new SerialExecutor(own, "stopped scheduler test");
        List<String> ran = new ArrayList<>();
        executor.execute("fails", () -> {
            throw new AssertionError("on the caller's thread");
        });
        executor.execute(() -> ran.add(Thread.currentThread().getName()));
        assertEquals(List.of(Thread.currentThread().getName()), ran, "the release ran, on the caller's thread");
        assertTrue(logged.stream().anyMatch(l -> l.getMessage().contains("'fails'")), messages());
    }

    private String messages() {
        return logged.stream().map(LogRecord::getMessage).toList().toString();
    }
}
