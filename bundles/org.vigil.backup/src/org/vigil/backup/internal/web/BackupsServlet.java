package org.vigil.backup.internal.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.backup.VerifyReport;
import org.vigil.api.camera.CameraId;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobOwner;
import org.vigil.api.job.JobRunner;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.backup.internal.BackupJson;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/**
 * {@code /api/backups}: a backup as a job ({@code POST /api/backups}), what it would copy
 * ({@code GET /api/backups/plan}) and the verification of a backup folder ({@code POST /api/backups/verify}), for
 * operators and admins: what {@code vigil backup} and {@code vigil verify} do, with the same JSON fields. A folder is
 * named by an absolute path without {@code ..}, and must exist.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/backups/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class BackupsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new Gson();
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private final transient BackupService backups;
    private final transient RecordingCatalog catalog;
    private final transient JobRunner jobs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SettingsService settings;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog audit;

    /** The body of {@code POST /api/backups} (and the parameters of {@code GET /api/backups/plan}). */
    static final class BackupBody {
        String destination;
        List<String> cameras;
        String from;
        String to;
        Boolean protectedOnly;
        String hash;
        Boolean verify;
    }

    /** The body of {@code POST /api/backups/verify}. */
    static final class VerifyBody {
        String directory;
    }

    @Activate
    public BackupsServlet(@Reference BackupService backups, @Reference RecordingCatalog catalog,
            @Reference JobRunner jobs) {
        this.backups = backups;
        this.catalog = catalog;
        this.jobs = jobs;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.OPERATOR);
        List<String> parts = r.parts();
        if (parts.size() != 1 || !parts.get(0).equals("plan")) {
            throw parts.isEmpty() ? ApiException.methodNotAllowed("GET", r.path()) : notHere(r);
        }
        BackupBody b = new BackupBody();
        b.destination = r.param("destination").orElse(null);
        String[] cams = r.request().getParameterValues("camera");
        b.cameras = cams == null ? null : List.of(cams);
        b.from = r.param("from").orElse(null);
        b.to = r.param("to").orElse(null);
        b.protectedOnly = r.param("protectedOnly").map(v -> flag("protectedOnly", v)).orElse(null);
        b.hash = r.param("hash").orElse(null);
        BackupRequest request = request(b);
        r.json(200, BackupJson.plan(backups.plan(request)));
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            start(r);
        } else if (parts.size() == 1 && parts.get(0).equals("verify")) {
            verify(r);
        } else {
            throw notHere(r);
        }
    }

    private void start(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.OPERATOR);
        BackupRequest request = request(body(r, BackupBody.class, Set.of("destination", "cameras", "from", "to",
                "protectedOnly", "hash", "verify")));
        BackupPlan plan = backups.plan(request);
        if (!plan.ok()) {
            throw ApiException.conflict("The backup cannot start: " + String.join(" ", plan.problems()));
        }
        Job<BackupReport> job = start(() -> backups.backup(request));
        jobs.own(job, new JobOwner(caller.name(), Role.OPERATOR, v -> BackupJson.report((BackupReport) v)));
        record(caller, "backup.start", request.destination().toString(), (request.cameras().isEmpty()
                ? "all cameras" : String.join(",", request.cameras())) + ", " + request.from().map(Instant::toString)
                        .orElse("the first recording") + ".." + request.to().map(Instant::toString).orElse("now")
                + ", job " + job.id());
        r.response().setHeader("Location", "/api/jobs/" + job.id());
        r.json(202, started(job));
    }

    private void verify(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.OPERATOR);
        VerifyBody b = body(r, VerifyBody.class, Set.of("directory"));
        Path dir = folder("directory", b.directory);
        Job<VerifyReport> job = start(() -> backups.verify(dir));
        jobs.own(job, new JobOwner(caller.name(), Role.OPERATOR, v -> BackupJson.verify((VerifyReport) v)));
        r.response().setHeader("Location", "/api/jobs/" + job.id());
        r.json(202, started(job));
    }

    /** The body as {@code type}, refusing fields it does not know (a misspelt 'destination' must not be ignored). */
    private static <T> T body(ApiRequest r, Class<T> type, Set<String> fields) throws IOException {
        JsonElement e = r.body(WebApi.MAX_BODY_BYTES);
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("The body must be a JSON object with the fields " + String.join(", ",
                    new java.util.TreeSet<>(fields)) + ".");
        }
        for (String key : e.getAsJsonObject().keySet()) {
            if (!fields.contains(key)) {
                throw ApiException.badRequest("The body has the unknown field '" + ApiRequest.shown(key)
                        + "'; the fields are " + String.join(", ", new java.util.TreeSet<>(fields)) + ".");
            }
        }
        try {
            return GSON.fromJson(e, type);
        } catch (JsonParseException | IllegalStateException | NumberFormatException ex) {
            throw ApiException.badRequest("The body's fields do not have the expected types (text, a list of camera"
                    + " ids, true or false).");
        }
    }

    private BackupRequest request(BackupBody b) {
        Path dest = b.destination == null || b.destination.isBlank()
                ? backups.defaultDestination().orElseThrow(() -> ApiException.badRequest("Give the 'destination'"
                        + " folder; no default backup destination is configured."))
                : folder("destination", b.destination);
        Set<String> cameras = new LinkedHashSet<>();
        if (b.cameras != null) {
            for (String c : b.cameras) {
                cameras.add(camera(c));
            }
        }
        Optional<Instant> from = time("from", b.from);
        Optional<Instant> to = time("to", b.to);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw ApiException.badRequest("The range must end after it starts: 'from' is " + from.get() + ", 'to' is "
                    + to.get() + ".");
        }
        BackupRequest request = backups.request(dest).withCameras(cameras).withRange(from, to)
                .withProtectedOnly(Boolean.TRUE.equals(b.protectedOnly));
        if (b.hash != null) {
            request = request.withHash(HashAlgorithm.parse(b.hash).orElseThrow(() -> ApiException.badRequest(
                    "'hash' is sha256 or md5, not '" + ApiRequest.shown(b.hash) + "'.")));
        }
        if (b.verify != null) {
            request = request.withVerify(b.verify);
        }
        return request;
    }

    /** An absolute path without {@code .} or {@code ..} parts or control characters, of a folder that exists. */
    static Path folder(String name, String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("Give the '" + name + "' folder as an absolute path.");
        }
        if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("The '" + name + "' path holds control characters; give a folder's absolute"
                    + " path.");
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("The '" + name + "' " + ApiRequest.shown(text) + " is not a path.");
        }
        if (!p.isAbsolute()) {
            throw ApiException.badRequest("The '" + name + "' " + ApiRequest.shown(text) + " is not an absolute path;"
                    + " give one such as /media/usb/vigil.");
        }
        for (Path part : p) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw ApiException.badRequest("The '" + name + "' " + ApiRequest.shown(text) + " holds '.' or '..';"
                        + " give the folder's plain absolute path.");
            }
        }
        if (!Files.isDirectory(p)) {
            throw ApiException.badRequest("The '" + name + "' " + ApiRequest.shown(text) + (Files.exists(p)
                    ? " is not a folder" : " does not exist") + "; give an existing folder (a mounted drive or"
                    + " share).");
        }
        return p.normalize();
    }

    private String camera(String id) {
        if (id == null || !CameraId.isValid(id)) {
            throw ApiException.badRequest("'" + ApiRequest.shown(id) + "' is not a camera id: ids use 1 to 64"
                    + " characters of a-z, 0-9, '_' and '-'.");
        }
        if (catalog.cameras().contains(id)) {
            return id;
        }
        try {
            SettingsService s = settings;
            if (s != null && s.camera(id).isPresent()) {
                return id;
            }
        } catch (SettingsException e) {
            // the catalog alone decides
        }
        throw ApiException.notFound("There is no camera '" + id + "': it is not configured and has no recordings.");
    }

    /** A time as an ISO-8601 instant or milliseconds since 1970, between 2000 and tomorrow. */
    static Optional<Instant> time(String name, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Instant t;
        try {
            t = text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text.strip());
        } catch (NumberFormatException | DateTimeException e) {
            throw ApiException.badRequest("'" + name + "' must be a time such as 2026-12-07T09:00:00Z or milliseconds"
                    + " since 1970; got '" + ApiRequest.shown(text) + "'.");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(Instant.now().plus(Duration.ofDays(1)))) {
            throw ApiException.badRequest("The time '" + name + "' = " + t + " is out of range: give a time between"
                    + " 2000 and tomorrow.");
        }
        return Optional.of(t);
    }

    private static boolean flag(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest("The parameter '" + name + "' is true or false, not '"
                    + ApiRequest.shown(v) + "'.");
        };
    }

    private static <T> Job<T> start(Supplier<Job<T>> start) {
        try {
            return start.get();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ApiException(e instanceof IllegalStateException ? 503 : 400, e.getMessage());
        }
    }

    private static Map<String, Object> started(Job<?> job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.id());
        m.put("name", job.name());
        m.put("state", job.state().name().toLowerCase(Locale.ROOT));
        m.put("href", "/api/jobs/" + job.id());
        return m;
    }

    private void record(Caller caller, String action, String target, String detail) {
        AuditLog log = audit;
        if (log != null) {
            log.record(caller.actor(), action, target, detail);
        }
    }

    private static ApiException notHere(ApiRequest r) {
        return ApiException.notFound("There is no " + ApiRequest.shown(r.path()) + "; backups are at /api/backups,"
                + " /api/backups/plan and /api/backups/verify.");
    }
}
