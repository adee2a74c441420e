package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Registration;
import org.vigil.core.internal.WorkerJobRunner;

class JobRunnerTest {

    @InjectService(timeout = 5000)
    JobRunner runner;

    @Test
    void theRunnerListsItsJobsNewestFirstHearsEveryReportAndKnowsWhoStartedOne() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        Job<String> first;
        Job<String> second;
        try (Registration r = runner.addListener(j -> heard.add(j.id() + " " + j.state() + " " + j.progress()
                .done()))) {
            first = runner.submit("test", "first", ctx -> {
                ctx.progress("counting", 1, 2, "steps", 1, 2);
                return "one";
            });
            first.result().toCompletableFuture().get(5, TimeUnit.SECONDS);
            second = runner.submit("test", "second", ctx -> "two");
            runner.own(second, new org.vigil.api.job.JobOwner("olga", org.vigil.api.users.Role.OPERATOR,
                    v -> "shown " + v));
            second.result().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(second.await(Duration.ofSeconds(5)));
        }
        assertTrue(heard.contains(first.id() + " RUNNING 0"), heard.toString());
        assertTrue(heard.contains(first.id() + " RUNNING 1"), heard.toString());
        assertTrue(heard.contains(first.id() + " SUCCEEDED 1"), heard.toString());
        int before = heard.size();
        runner.submit("test", "after closing", ctx -> "x").result().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(before, heard.size(), "a closed registration hears nothing");

        List<Job<?>> recent = runner.recent();
        assertTrue(recent.indexOf(second) >= 0 && recent.indexOf(second) < recent.indexOf(first),
                "finished jobs are listed, newest first: " + recent);
        assertEquals("olga", runner.owner(second.id()).orElseThrow().user());
        assertEquals("shown two", runner.owner(second.id()).orElseThrow().resultView().apply("two"));
        assertTrue(runner.owner(first.id()).isEmpty(), "a job nobody claimed has no owner");
    }

    @Test
    void aJobReportsProgressAndItsResultOnANonDaemonThread() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean daemon = new AtomicBoolean(true);
        Job<String> job = runner.submit("test", "count to 5", ctx -> {
            daemon.set(Thread.currentThread().isDaemon());
            for (int i = 1; i <= 5; i++) {
                ctx.checkCancelled();
                ctx.progress("counting", i, 5, "steps", i, 5);
            }
            return "done";
        });
        Registration r = job.onProgress(j -> seen.add(j.progress().done()));
        assertEquals("done", job.result().toCompletableFuture().get(5, TimeUnit.SECONDS));
        r.close();
        assertEquals(JobState.SUCCEEDED, job.state());
        assertEquals(5, job.progress().done());
        assertEquals(1.0, job.progress().fraction().orElseThrow());
        assertTrue(job.id().startsWith("test-"));
        assertEquals(false, daemon.get(), "jobs write data: never on daemon threads");
    }

    @Test
    void cancelTakesEffectWithinASecondAndTheTaskCanRollBack() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean rolledBack = new AtomicBoolean();
        Job<Void> job = runner.submit("test", "endless copy", ctx -> {
            running.countDown();
            try {
                while (true) {
                    ctx.checkCancelled();
                    ctx.progress("copying", 1, -1, "bytes", 0, 1);
                    Thread.onSpinWait();
                }
            } finally {
                rolledBack.set(true);
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        job.cancel();
        assertTrue(job.await(Duration.ofSeconds(1)), "cancel took longer than 1 s");
        assertTrue((System.nanoTime() - t0) < 1_000_000_000L);
        assertEquals(JobState.CANCELLED, job.state());
        assertTrue(rolledBack.get());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> job.result().toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof java.util.concurrent.CancellationException);
    }

    @Test
    void aFailingJobSaysWhy() throws Exception {
        Job<Void> job = runner.submit("test", "doomed", ctx -> {
            throw new java.io.IOException("The destination /media/usb is not mounted; plug the drive in and try again.");
        });
        assertTrue(job.await(Duration.ofSeconds(5)));
        assertEquals(JobState.FAILED, job.state());
        assertEquals("The destination /media/usb is not mounted; plug the drive in and try again.",
                job.failure().orElseThrow());
    }

    @Test
    void stoppingTheRunnerCancelsRunningJobsAndWaitsForThem() throws Exception {
        WorkerJobRunner own = new WorkerJobRunner(1, Duration.ofSeconds(5));
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean rolledBack = new AtomicBoolean();
        Job<Void> job = own.submit("test", "long", ctx -> {
            running.countDown();
            try {
                while (!ctx.isCancelled()) {
                    Thread.onSpinWait();
                }
                return null;
            } finally {
                rolledBack.set(true);
            }
        });
        Job<Void> queued = own.submit("test", "queued", ctx -> null);
        assertTrue(running.await(5, TimeUnit.SECONDS));
        own.stop();
        assertEquals(JobState.CANCELLED, job.state());
        assertEquals(JobState.CANCELLED, queued.state());
        assertTrue(rolledBack.get());
        assertThrows(IllegalStateException.class, () -> own.submit("test", "late", ctx -> null));
    }
}
