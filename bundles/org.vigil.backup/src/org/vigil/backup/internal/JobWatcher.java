package org.vigil.backup.internal;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Registration;

/**
 * Runs a job for a command: a progress line on standard error at most once a second, and a cancel when the person at
 * the terminal goes away (Ctrl-C or a killed client closes the control socket: {@link CommandInvocation#onClientGone})
 * or the command's thread is interrupted.
 */
final class JobWatcher {
    private JobWatcher() {
    }

    static <T> T await(Job<T> job, CommandInvocation inv, String cancelledSentence) throws CommandException {
        PrintWriter err = inv.err();
        ProgressLine line = new ProgressLine();
        try (Registration gone = inv.onClientGone(job::cancel)) {
            while (!job.await(Duration.ofSeconds(1))) {
                err.println(line.line(job.progress()));
                if (err.checkError()) {
                    job.cancel(); // the client is gone
                }
            }
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new CommandException(cancelledSentence);
        }
        if (job.state() == JobState.CANCELLED) {
            throw new CommandException(cancelledSentence);
        }
        if (job.state() == JobState.FAILED) {
            throw new CommandException(job.failure().orElse(job.name() + " failed."));
        }
        try {
            return job.result().toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            throw new CommandException(job.failure().orElse(String.valueOf(e.getCause())));
        } catch (CancellationException e) {
            throw new CommandException(cancelledSentence);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(cancelledSentence);
        }
    }
}
