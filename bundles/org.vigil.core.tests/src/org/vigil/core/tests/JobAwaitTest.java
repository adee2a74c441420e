package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.JobAwait;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobRunner;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/**
 * The one job-await of the commands, with jobs of the real job runner: the result, the job's own failure sentence,
 * progress lines at most once a second, and a cancel (the job rolls back) when the client goes away or the wait is
 * interrupted.
 */
class JobAwaitTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private final ExecutorService commandThread = Executors.newSingleThreadExecutor();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean rolledBack = new AtomicBoolean();

    @InjectService(timeout = 5000)
    JobRunner runner;

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        commandThread.shutdownNow();
        assertTrue(commandThread.awaitTermination(10, TimeUnit.SECONDS), "the command thread ended");
    }

    /** A copy of 45.6 MB that stops at 12.3 MB until the test releases it, and rolls back when cancelled. */
    private Job<String> copy() {
        return runner.submit("test", "Test copy", ctx -> {
            try {
                ctx.progress("copying", 12_300_000, 45_600_000, "bytes", 0, -1);
                ctx.message("front/090000.mp4");
                while (!release.await(10, TimeUnit.MILLISECONDS)) {
                    ctx.checkCancelled();
                }
                return "copied";
            } finally {
                rolledBack.set(ctx.isCancelled());
            }
        });
    }

    @Test
    void returnsTheResultOfAFinishedJob() throws Exception {
        release.countDown();
        Invocation inv = Invocation.of();
        assertEquals("copied", JobAwait.await(copy(), inv, JobAwait::line, () -> "cancelled"));
        assertFalse(inv.watchesForClient(), "the watch for the client is closed");
    }

    @Test
    void aFailedJobGivesItsOwnSentence() {
        Job<Void> job = runner.submit("test", "doomed", ctx -> {
            throw new java.io.IOException("The destination /media/usb is not mounted; plug the drive in and try again.");
        });
        CommandException e = assertThrows(CommandException.class,
                () -> JobAwait.await(job, Invocation.of(), null, () -> "cancelled"));
        assertEquals("The destination /media/usb is not mounted; plug the drive in and try again.", e.getMessage());
    }

    @Test
    void theJobIsCancelledWhenTheClientGoesAway() throws Exception {
        Job<String> job = copy();
        Invocation inv = Invocation.of();
        Future<String> waiting = commandThread.submit(() -> JobAwait.await(job, inv, JobAwait::line,
                () -> "The copy was cancelled; the file in hand was rolled back."));
        assertTrue(Await.until(LIMIT, inv::watchesForClient), "the command watches for the client");
        inv.clientGoesAway(); // what the control socket does on Ctrl-C or a closed connection
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
        assertInstanceOf(CommandException.class, e.getCause());
        assertEquals("The copy was cancelled; the file in hand was rolled back.", e.getCause().getMessage());
        assertTrue(rolledBack.get(), "the job rolled back");
        assertFalse(inv.watchesForClient(), "the watch for the client is closed");
    }

    @Test
    void anInterruptedWaitCancelsTheJob() throws Exception {
        Job<String> job = copy();
        Invocation inv = Invocation.of();
        Future<String> waiting = commandThread.submit(() -> JobAwait.await(job, inv, null, () -> "Stopped."));
        assertTrue(Await.until(LIMIT, inv::watchesForClient), "the command waits");
        waiting.cancel(true);
        assertTrue(job.await(LIMIT), "the job ended");
        assertTrue(rolledBack.get(), "the job was cancelled and rolled back");
    }

    @Test
    void progressLinesComeAtMostOnceASecond() throws Exception {
        Job<String> job = copy();
        Invocation inv = Invocation.of();
        long start = System.nanoTime();
        Future<String> waiting = commandThread.submit(() -> JobAwait.await(job, inv, JobAwait::line, () -> "x"));
        assertTrue(Await.until(LIMIT, () -> lines(inv).size() >= 2), "progress lines while the job runs");
        release.countDown();
        assertEquals("copied", waiting.get(30, TimeUnit.SECONDS));
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> lines = lines(inv);
        assertTrue(lines.size() <= seconds + 1, lines.size() + " lines in " + seconds + " s");
        assertEquals("  copying: 12.3 MB of 45.6 MB (front/090000.mp4)", lines.get(0));
    }

    @Test
    void theProgressLineNamesCountsInTheirUnit() {
        assertEquals("  deleting: 12 of 40 segments", JobAwait.line(new JobProgress("deleting", 12, 40, "segments", 0,
                -1, Duration.ZERO, "")));
        assertEquals("  scanning: 7 files", JobAwait.line(new JobProgress("scanning", 7, -1, "files", 0, -1,
                Duration.ZERO, "")));
    }

    private static List<String> lines(Invocation inv) {
        String err = inv.err.toString();
        return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
}
