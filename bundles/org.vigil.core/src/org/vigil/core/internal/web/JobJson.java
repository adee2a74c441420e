package org.vigil.core.internal.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobState;

/** A job as the API shows it: state, progress, failure, who started it and (once done) its result. */
final class JobJson {
    private JobJson() {
    }

    static Map<String, Object> of(Job<?> job, Optional<JobOwner> owner, boolean withResult) {
        JobProgress p = job.progress();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", job.id());
        m.put("name", job.name());
        m.put("state", job.state().name().toLowerCase(Locale.ROOT));
        m.put("owner", owner.map(JobOwner::user).orElse(null));
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("phase", p.phase());
        progress.put("done", p.done());
        progress.put("total", p.total());
        progress.put("unit", p.unit());
        progress.put("items_done", p.itemsDone());
        progress.put("items_total", p.itemsTotal());
        progress.put("fraction", p.fraction().map(f -> Math.round(f * 1000) / 1000.0).orElse(null));
        progress.put("elapsed_ms", p.elapsed().toMillis());
        progress.put("remaining_ms", p.remaining().map(d -> d.toMillis()).orElse(null));
        progress.put("message", p.message());
        m.put("progress", progress);
        m.put("failure", job.failure().orElse(null));
        if (withResult) {
            m.put("result", result(job, owner));
        }
        return m;
    }

    /** The result through its owner's view, when the job succeeded and was started through the API. */
    private static Object result(Job<?> job, Optional<JobOwner> owner) {
        if (job.state() != JobState.SUCCEEDED || owner.isEmpty()) {
            return null;
        }
        CompletableFuture<?> f = job.result().toCompletableFuture();
        if (!f.isDone() || f.isCompletedExceptionally()) {
            return null;
        }
        return owner.get().resultView().apply(f.getNow(null));
    }
}
