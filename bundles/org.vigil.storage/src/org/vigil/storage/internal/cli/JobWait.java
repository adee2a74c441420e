package org.vigil.storage.internal.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.platform.Registration;

/**
 * Runs a job to its end for a command, printing its progress to stderr at most every two seconds; cancels it when the
 * client goes away (Ctrl-C), which rolls back the file in hand.
 */
final class JobWait {
    private JobWait() {
    }

    static <T> T await(Job<T> job, CommandInvocation inv, boolean quiet) throws CommandException {
        PrintWriter err = inv.err();
        long[] lastPrint = {System.nanoTime()};
        Registration r = quiet ? () -> { } : job.onProgress(j -> {
            long now = System.nanoTime();
            if (now - lastPrint[0] < 2_000_000_000L || j.state().isFinished()) {
                return;
            }
            lastPrint[0] = now;
            JobProgress p = j.progress();
            err.println("  " + p.phase() + ": " + p.done() + (p.total() >= 0 ? " of " + p.total() : "") + " "
                    + p.unit() + (p.message().isEmpty() ? "" : " (" + p.message() + ")"));
            err.flush();
        });
        try (Registration gone = inv.onClientGone(job::cancel)) {
            while (!job.await(Duration.ofSeconds(1))) {
                Thread.onSpinWait();
            }
            return job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new CommandException("Interrupted; the job " + job.id() + " was asked to stop.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CancellationException) {
                throw new CommandException("The job " + job.id() + " (" + job.name() + ") was cancelled; "
                        + job.progress().done() + " " + job.progress().unit() + " were done.");
            }
            throw new CommandException(job.failure().orElse(String.valueOf(cause)));
        } catch (CancellationException e) {
            throw new CommandException("The job " + job.id() + " (" + job.name() + ") was cancelled.");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CommandException("The job " + job.id() + " finished but its result did not arrive.");
        } finally {
            r.close();
        }
    }
}
