package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.platform.Scheduler;
import org.vigil.core.internal.SharedScheduler;
import org.vigil.testing.Await;

class SchedulerTest {

    @InjectService(timeout = 5000)
    Scheduler scheduler;

    @Test
    void runsTasksOnNamedThreadsOfTheSharedService() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        Future<?> f = scheduler.execute("probe", () -> thread.set(Thread.currentThread().getName()));
        f.get(5, TimeUnit.SECONDS);
        assertTrue(thread.get().startsWith("vigil-scheduler-"), thread.get());
        assertTrue(thread.get().endsWith(" probe"), "the thread says which task runs: " + thread.get());
    }

    @Test
    void aFailingPeriodicTaskKeepsRunning() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Future<?> f = scheduler.scheduleAtFixedRate("flaky", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails on purpose");
            }
        }, Duration.ZERO, Duration.ofMillis(10));
        try {
            assertTrue(Await.until(Duration.ofSeconds(5), () -> runs.get() >= 3), "periodic task stopped after a failure");
        } finally {
            f.cancel(false);
        }
    }

    @Test
    void stopDropsScheduledTasksAndWaitsForRunningOnes() throws Exception {
        SharedScheduler own = new SharedScheduler(2, Duration.ofSeconds(5));
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger late = new AtomicInteger();
        own.execute("slow", () -> {
            started.countDown();
            long end = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            finished.incrementAndGet();
        });
        own.schedule("never", late::incrementAndGet, Duration.ofSeconds(30));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        own.stop();
        assertEquals(1, finished.get(), "the running task was allowed to finish");
        assertEquals(0, late.get(), "a delayed task was dropped");
        own.stop(); // idempotent
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("vigil-scheduler") && t.getThreadGroup() != null
                        && t.getName().contains("slow")), "no thread of the stopped scheduler is left");
    }

    @Test
    void aTaskThatIgnoresStopIsInterruptedAfterTheBound() throws Exception {
        SharedScheduler own = new SharedScheduler(1, Duration.ofMillis(200));
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        own.execute("stubborn", () -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        });
        assertTrue(started.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        own.stop();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, interrupted.get());
        assertTrue(ms < 5_000, "stop is bounded, took " + ms + " ms");
    }
}
