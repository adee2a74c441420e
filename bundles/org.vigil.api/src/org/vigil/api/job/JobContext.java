package org.vigil.api.job;

import java.util.concurrent.CancellationException;

import org.osgi.annotation.versioning.ProviderType;

/** What a running job's task sees: its cancel flag and where it reports progress. */
@ProviderType
public interface JobContext {
    /** True once {@link Job#cancel()} was called or the runner is shutting down. */
    boolean isCancelled();

    /** Throws {@link CancellationException} when cancelled; call at least every MiB or every file. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }

    /** Reports progress; cheap enough to call per MiB. */
    void progress(String phase, long done, long total, String unit, long itemsDone, long itemsTotal);

    /** Sets the note shown to a user with the progress. */
    void message(String message);
}
