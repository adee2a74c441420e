package org.vigil.storage.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.config.SettingsService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobRunner;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;
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
 * {@code /api/recordings}: the catalog's segments in keyset pages, the days with recordings, a camera's hours and
 * gaps, deletion (a job; a dry run says what would go) and protection: what {@code vigil recordings} does, with the
 * same JSON fields.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/recordings/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class RecordingsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    /** The most segments a page holds over the API. */
    static final int MAX_PAGE = 1000;
    /** How long a dry run may take before the answer says where to follow its job instead. */
    private static final Duration DRY_RUN_WAIT = Duration.ofSeconds(30);
    private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("9999-12-31T00:00:00Z");

    private final transient RecordingCatalog catalog;
    private final transient StorageService storage;
    private final transient JobRunner jobs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SettingsService settings;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;

    @Activate
    public RecordingsServlet(@Reference RecordingCatalog catalog, @Reference StorageService storage,
            @Reference JobRunner jobs) {
        this.catalog = catalog;
        this.storage = storage;
        this.jobs = jobs;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            list(r);
            return;
        }
        switch (only(r, parts)) {
            case "days" -> r.json(200, Json.days(catalog.days(Requests.cameras(r, catalog, settings))));
            case "hours" -> hours(r);
            case "gaps" -> gaps(r);
            default -> throw notHere(r);
        }
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        List<String> parts = r.parts();
        String what = parts.isEmpty() ? "" : only(r, parts);
        if (!what.equals("protect") && !what.equals("unprotect")) {
            throw parts.isEmpty() ? ApiException.methodNotAllowed("POST", r.path()) : notHere(r);
        }
        Caller caller = r.caller().require(Role.OPERATOR);
        boolean protect = what.equals("protect");
        SegmentSelection sel = selection(r);
        int n = storage.setProtected(sel, protect);
        audit(caller, "recordings." + what, sel, n + " segments");
        r.json(200, Json.protection(protect, n));
    }

    @Override
    protected void delete(ApiRequest r) throws IOException {
        if (!r.parts().isEmpty()) {
            throw ApiException.methodNotAllowed("DELETE", r.path());
        }
        Caller caller = r.caller().require(Role.ADMIN);
        SegmentSelection sel = selection(r);
        boolean dry = Requests.flag(r, "dryRun", false);
        Job<DeletionReport> job = Requests.start(() -> storage.delete(new DeletionRequest(sel, dry)));
        jobs.own(job, new JobOwner(caller.name(), Role.ADMIN, v -> Json.deletion((DeletionReport) v)));
        if (!dry) {
            audit(caller, "recordings.delete", sel, "job " + job.id());
            r.response().setHeader("Location", "/api/jobs/" + job.id());
            r.json(202, Requests.started(job));
            return;
        }
        try {
            DeletionReport report = job.result().toCompletableFuture().get(DRY_RUN_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
            r.json(200, Json.deletion(report));
        } catch (TimeoutException e) {
            r.response().setHeader("Location", "/api/jobs/" + job.id());
            r.json(202, Requests.started(job));
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new ApiException(503, "The recorder is stopping; the dry run was cancelled.");
        } catch (ExecutionException | CancellationException | CompletionException e) {
            throw ApiException.conflict(job.failure().orElse("The dry run was cancelled."));
        }
    }

    private void list(ApiRequest r) throws IOException {
        Set<String> cameras = Requests.cameras(r, catalog, settings);
        Optional<Instant> from = r.instantParam("from");
        Optional<Instant> to = r.instantParam("to");
        if (from.isPresent() && to.isPresent()) {
            Requests.checked(from.get(), to.get());
        }
        int limit = (int) r.longParam("limit", SegmentQuery.DEFAULT_LIMIT, 1, MAX_PAGE);
        Optional<PageCursor> after = r.param("after").map(RecordingsServlet::cursor);
        boolean newest = Requests.flag(r, "newestFirst", false);
        SegmentQuery q = new SegmentQuery(cameras, from.orElse(BEGINNING), to.orElse(END), limit, after, newest);
        Page<Segment> page = catalog.segments(q);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", Json.segments(page.items()));
        m.put("next", page.next().map(RecordingsServlet::token).orElse(null));
        r.json(200, m);
    }

    private void hours(ApiRequest r) throws IOException {
        String camera = Requests.camera(r.requiredParam("camera"), catalog, settings);
        Instant[] range = dayOrRange(r);
        r.json(200, Json.hours(camera, catalog.hours(camera, range[0], range[1])));
    }

    private void gaps(ApiRequest r) throws IOException {
        String camera = Requests.camera(r.requiredParam("camera"), catalog, settings);
        Instant[] range = dayOrRange(r);
        List<HourCoverage> hours = catalog.hours(camera, range[0], range[1]);
        List<Gap> gaps = new ArrayList<>();
        for (HourCoverage h : hours) {
            for (Gap g : h.gaps()) {
                Gap last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
                if (last != null && !last.end().isBefore(g.start())) {
                    gaps.set(gaps.size() - 1, new Gap(last.start(), g.end())); // one gap across an hour's edge
                } else {
                    gaps.add(g);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", camera);
        m.put("from", range[0].toString());
        m.put("to", range[1].toString());
        m.put("gaps", Json.gaps(gaps));
        r.json(200, m);
    }

    /** {@code day=YYYY-MM-DD} (the catalog's time zone), else {@code from} and {@code to}, else today. */
    private Instant[] dayOrRange(ApiRequest r) {
        ZoneId zone = catalog.zone();
        Optional<String> day = r.param("day");
        if (day.isPresent()) {
            if (r.param("from").isPresent() || r.param("to").isPresent()) {
                throw ApiException.badRequest("Give either 'day' or 'from' and 'to', not both.");
            }
            LocalDate d;
            try {
                d = LocalDate.parse(day.get());
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("The parameter 'day' is a date such as 2026-12-07, not '"
                        + ApiRequest.shown(day.get()) + "'.");
            }
            if (d.getYear() < 2000 || d.isAfter(LocalDate.now(zone).plusDays(1))) {
                throw ApiException.badRequest("The day " + d + " is out of range: give a day between 2000 and"
                        + " tomorrow.");
            }
            return new Instant[] {d.atStartOfDay(zone).toInstant(), d.plusDays(1).atStartOfDay(zone).toInstant()};
        }
        if (r.param("from").isPresent() || r.param("to").isPresent()) {
            return Requests.range(r);
        }
        LocalDate today = LocalDate.now(zone);
        return new Instant[] {today.atStartOfDay(zone).toInstant(), today.plusDays(1).atStartOfDay(zone).toInstant()};
    }

    /** Cameras ({@code camera}, or {@code allCameras=true}) and a range ({@code from}, {@code to}). */
    private SegmentSelection selection(ApiRequest r) {
        Set<String> cameras = Requests.cameras(r, catalog, settings);
        boolean all = Requests.flag(r, "allCameras", false);
        if (cameras.isEmpty() && !all) {
            throw ApiException.badRequest("Say which cameras with 'camera' (repeatable) or allCameras=true.");
        }
        if (!cameras.isEmpty() && all) {
            throw ApiException.badRequest("Give either 'camera' or allCameras=true, not both.");
        }
        Instant[] range = Requests.range(r);
        return new SegmentSelection(cameras, range[0], range[1]);
    }

    private void audit(Caller caller, String action, SegmentSelection sel, String detail) {
        AuditLog log = audit;
        if (log != null) {
            log.record(caller.actor(), action, sel.cameras().isEmpty() ? "all cameras" : String.join(",",
                    sel.cameras()), sel.from() + ".." + sel.to() + ": " + detail);
        }
    }

    /** The page cursor as clients see it: opaque (base64url of the catalog's key). */
    static String token(PageCursor c) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(c.token().getBytes(StandardCharsets.US_ASCII));
    }

    static PageCursor cursor(String token) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            Optional<PageCursor> c = PageCursor.parse(raw);
            if (c.isPresent()) {
                return c.get();
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ApiException.badRequest("The cursor 'after' = '" + ApiRequest.shown(token) + "' is not one this"
                + " recorder gave as 'next'; start again without 'after'.");
    }

    private static String only(ApiRequest r, List<String> parts) {
        if (parts.size() != 1) {
            throw notHere(r);
        }
        return parts.get(0);
    }

    private static ApiException notHere(ApiRequest r) {
        return ApiException.notFound("There is no " + ApiRequest.shown(r.path()) + "; the recordings are at"
                + " /api/recordings, /api/recordings/days, /hours, /gaps, /protect and /unprotect.");
    }
}
