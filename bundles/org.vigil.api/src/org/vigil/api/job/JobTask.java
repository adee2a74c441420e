package org.vigil.api.job;

import org.osgi.annotation.versioning.ConsumerType;

/** The work of a job. It must check {@link JobContext#checkCancelled()} regularly and undo a half-done file. */
@ConsumerType
@FunctionalInterface
public interface JobTask<T> {
    T run(JobContext context) throws Exception;
}
