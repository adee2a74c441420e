package org.vigil.core.internal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Registration;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;
import org.vigil.web.api.WebEvents;

/**
 * {@code /api/jobs}: the job runner's jobs (list, one with its progress and result, cancel), and their progress on
 * the event stream ({@code job.progress} at most every 500 ms per job, {@code job.done}) while the API runs.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/jobs/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class JobsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient JobRunner jobs;
    private final transient JobEventPublisher publisher;
    private final transient Registration listening;

    @Activate
    public JobsServlet(@Reference JobRunner jobs) {
        this.jobs = jobs;
        this.publisher = new JobEventPublisher(jobs, this::events);
        this.listening = jobs.addListener(publisher::report);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WebEvents events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;

    private WebEvents events() {
        return events;
    }

    @Deactivate
    void deactivate() {
        listening.close();
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.OPERATOR);
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Job<?> j : jobs.recent()) {
                list.add(JobJson.of(j, jobs.owner(j.id()), false));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobs", list);
            r.json(200, m);
            return;
        }
        Job<?> job = job(r, parts);
        r.json(200, JobJson.of(job, jobs.owner(job.id()), true));
    }

    @Override
    protected void delete(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.OPERATOR);
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            throw ApiException.methodNotAllowed("DELETE", r.path());
        }
        Job<?> job = job(r, parts);
        Optional<JobOwner> owner = jobs.owner(job.id());
        boolean mayCancel = caller.role().includes(Role.ADMIN) || owner.isPresent()
                && owner.get().user().equals(caller.name()) && caller.role().includes(owner.get().role());
        if (!mayCancel) {
            throw new ApiException(403, "The user " + caller.name() + " may not cancel the job " + job.id()
                    + ": only " + owner.map(o -> o.user() + ", who started it, or ").orElse("") + "an admin may.");
        }
        if (job.state().isFinished()) {
            throw ApiException.conflict("The job " + job.id() + " has already ended (" + JobJson.of(job, owner, false)
                    .get("state") + "); there is nothing to cancel.");
        }
        job.cancel();
        AuditLog log = audit;
        if (log != null) {
            log.record(caller.actor(), "job.cancel", job.id(), job.name());
        }
        r.json(202, JobJson.of(job, owner, false));
    }

    private Job<?> job(ApiRequest r, List<String> parts) {
        if (parts.size() != 1) {
            throw ApiException.notFound("There is no " + ApiRequest.shown(r.path()) + "; ask for /api/jobs or"
                    + " /api/jobs/{id}.");
        }
        String id = parts.get(0);
        return jobs.find(id).orElseThrow(() -> ApiException.notFound("There is no job '" + ApiRequest.shown(id)
                + "' (finished jobs are forgotten after a while); GET /api/jobs lists them."));
    }
}
