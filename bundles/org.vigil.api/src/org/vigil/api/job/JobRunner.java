package org.vigil.api.job;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

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

    /** Every job the runner remembers (running, queued and the recently finished), the newest first (1.1). */
    List<Job<?>> recent();

    /**
     * Calls {@code listener} on every progress report and state change of every job, on the job's thread (return
     * quickly; 1.1). Closing the registration removes it.
     */
    Registration addListener(Consumer<Job<?>> listener);

    /** Records who started {@code job} through the network API and how its result is shown (1.1). */
    void own(Job<?> job, JobOwner owner);

    /** Who started the job {@code id} through the network API, if anybody did (1.1). */
    Optional<JobOwner> owner(String id);
}
