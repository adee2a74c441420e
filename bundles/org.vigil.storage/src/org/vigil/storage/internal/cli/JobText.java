package org.vigil.storage.internal.cli;

import org.vigil.api.job.Job;

/** What the storage commands say about a job of theirs. */
final class JobText {
    private JobText() {
    }

    /** The sentence when a deletion or check was cancelled: how far it got. */
    static String cancelled(Job<?> job) {
        return "The job " + job.id() + " (" + job.name() + ") was cancelled; " + job.progress().done() + " "
                + job.progress().unit() + " were done.";
    }
}
