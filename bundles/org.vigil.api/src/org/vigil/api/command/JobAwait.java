package org.vigil.api.command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Registration;

/**
 * How a command waits for the job it started (backup, verify, export, deletion, check): a progress line on standard
 * error at most once a second, and a cancel when the person at the terminal goes away (Ctrl-C or a killed client:
 * {@link CommandInvocation#onClientGone(Runnable)}), when standard error can no longer be written, or when the
 * command's thread is interrupted. A cancelled job rolls back the file in hand; the command then reports one
 * sentence.
 *
 * @since 1.3
 */
public final class JobAwait {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private JobAwait() {
    }

    /**
     * Waits for {@code job} to end and returns its result.
     *
     * @param progress  the progress line for a snapshot (null to skip one), or null for no progress lines at all
     *                  (with {@code --json}, say)
     * @param cancelled the sentence for a user when the job was cancelled or the wait interrupted
     * @throws CommandException with {@code cancelled} when the job was cancelled, with the job's own sentence when it
     *                          failed
     */
    public static <T> T await(Job<T> job, CommandInvocation inv, Function<JobProgress, String> progress,
            Supplier<String> cancelled) throws CommandException {
        PrintWriter err = inv.err();
        long lastLine = System.nanoTime();
        try (Registration gone = inv.onClientGone(job::cancel)) {
            while (!job.await(Duration.ofSeconds(1))) {
                long now = System.nanoTime();
                if (progress == null || now - lastLine < SECOND_NANOS) {
                    continue;
                }
                lastLine = now;
                String line = progress.apply(job.progress());
                if (line != null) {
                    err.println(line);
                    err.flush();
                    if (err.checkError()) {
                        job.cancel(); // nobody reads the terminal any more
                    }
                }
            }
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new CommandException(cancelled.get());
        }
        if (job.state() == JobState.CANCELLED) {
            throw new CommandException(cancelled.get());
        }
        if (job.state() == JobState.FAILED) {
            throw new CommandException(job.failure().orElse(job.name() + " failed."));
        }
        try {
            return job.result().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CancellationException) {
                throw new CommandException(cancelled.get());
            }
            throw new CommandException(job.failure().orElse(job.name() + " failed: " + cause.getMessage()));
        } catch (CancellationException e) {
            throw new CommandException(cancelled.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(cancelled.get());
        } catch (TimeoutException e) {
            throw new CommandException("The job " + job.id() + " (" + job.name() + ") finished but its result did"
                    + " not arrive.");
        }
    }

    /**
     * The plain progress line: {@code "  copying: 12.3 MB of 45.6 MB (front/20260101/1200.mp4)"}; byte counts as
     * {@link Bytes} writes them, other units as counts ({@code "  deleting: 12 of 40 segments"}).
     */
    public static String line(JobProgress p) {
        boolean bytes = "bytes".equals(p.unit());
        String done = bytes ? Bytes.text(p.done()) : Long.toString(p.done());
        String total = p.total() < 0 ? "" : " of " + (bytes ? Bytes.text(p.total()) : Long.toString(p.total()));
        return "  " + p.phase() + ": " + done + total + (bytes || p.unit().isEmpty() ? "" : " " + p.unit())
                + (p.message().isEmpty() ? "" : " (" + p.message() + ")");
    }
}
