package org.vigil.api.job;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs jobs on non-daemon, named worker threads (never daemon threads: jobs write data, seed S5). When the runner
 * stops it cancels running jobs and waits, bounded, for each to finish or roll back its file in hand.
 */
@ProviderType
public interface JobRunner {
    /**
     * Starts a job.
     *
     * @param kind a short word used in the id and thread name ("backup", "delete", "export", "scan")
     * @param name what the job does, for a user
     */
    <T> Job<T> submit(String kind, String name, JobTask<T> task);

    /** Jobs that have not finished. */
    List<Job<?>> active();

    /** A job by id, while the runner remembers it. */
    Optional<Job<?>> find(String id);
}
