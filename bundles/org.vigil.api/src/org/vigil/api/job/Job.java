package org.vigil.api.job;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * Handle of a long-running job (backup, deletion, export, scan): progress, cooperative cancel, result.
 *
 * @param <T> the result type
 */
@ProviderType
public interface Job<T> {
    /** A short unique id, such as {@code backup-3}. */
    String id();

    /** What the job does, for a user. */
    String name();

    JobState state();

    JobProgress progress();

    /**
     * Asks the job to stop. The job notices within about a second (it checks at least every MiB or file), rolls
     * back the file in hand and ends {@link JobState#CANCELLED}. Harmless when the job has finished.
     */
    void cancel();

    /** Completes with the job's result; completes exceptionally with the failure, or a cancellation. */
    CompletionStage<T> result();

    /** Why the job failed, when it did: one sentence for a user. */
    Optional<String> failure();

    /** Waits at most {@code timeout} for the job to finish; true when it did. */
    boolean await(Duration timeout) throws InterruptedException;

    /** Called on every progress report and state change (on the job's thread: return quickly). */
    Registration onProgress(Consumer<Job<T>> listener);
}
