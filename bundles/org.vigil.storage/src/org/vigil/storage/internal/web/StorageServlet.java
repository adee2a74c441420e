package org.vigil.storage.internal.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobRunner;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.StorageService;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.storage.internal.cli.Json;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/**
 * {@code /api/storage}: the recordings disk's status ({@code vigil storage status --json}) and the consistency check
 * as a job ({@code POST /api/storage/check}, {@code repair=true} for an admin only, {@code deep=true}).
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/storage/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class StorageServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient StorageService storage;
    private final transient Retention retention;
    private final transient RecordingCatalog catalog;
    private final transient JobRunner jobs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;

    @Activate
    public StorageServlet(@Reference StorageService storage, @Reference Retention retention,
            @Reference RecordingCatalog catalog, @Reference JobRunner jobs) {
        this.storage = storage;
        this.retention = retention;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.OPERATOR);
        if (!r.parts().isEmpty()) {
            throw notHere(r);
        }
        r.json(200, Json.status(storage, retention, catalog));
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            throw ApiException.methodNotAllowed("POST", r.path());
        }
        if (parts.size() != 1 || !parts.get(0).equals("check")) {
            throw notHere(r);
        }
        boolean repair = Requests.flag(r, "repair", false);
        boolean deep = Requests.flag(r, "deep", false);
        Role needed = repair ? Role.ADMIN : Role.OPERATOR;
        Caller caller = r.caller().require(needed);
        Job<CheckReport> job = Requests.start(() -> storage.check(repair, deep));
        jobs.own(job, new JobOwner(caller.name(), needed, v -> Json.check((CheckReport) v)));
        AuditLog log = audit;
        if (repair && log != null) {
            log.record(caller.actor(), "storage.check", storage.recordingsRoot().toString(), "repair"
                    + (deep ? ", deep" : "") + ", job " + job.id());
        }
        r.response().setHeader("Location", "/api/jobs/" + job.id());
        r.json(202, Requests.started(job));
    }

    private static ApiException notHere(ApiRequest r) {
        return ApiException.notFound("There is no " + ApiRequest.shown(r.path()) + "; the storage answers at"
                + " /api/storage and /api/storage/check.");
    }
}
