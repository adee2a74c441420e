package org.vigil.storage.internal.web;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.camera.CameraId;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.job.Job;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;

/** The checks the storage's endpoints share: cameras that exist, time ranges that make sense, flags. */
final class Requests {
    /** The longest range a request may name (a year and a day): longer is a mistake, not a query. */
    static final Duration LONGEST_RANGE = Duration.ofDays(366);

    private Requests() {
    }

    /**
     * The cameras named by {@code camera} parameters (repeatable, or comma-separated): each a valid id of a camera
     * that is configured or has recordings, else 400 or 404.
     */
    static Set<String> cameras(ApiRequest r, RecordingCatalog catalog, SettingsService settings) {
        Set<String> cameras = new LinkedHashSet<>();
        String[] values = r.request().getParameterValues("camera");
        if (values == null) {
            return cameras;
        }
        for (String v : values) {
            for (String one : v.split(",")) {
                if (!one.isBlank()) {
                    cameras.add(camera(one.strip(), catalog, settings));
                }
            }
        }
        return cameras;
    }

    /** A camera id that is valid and known (configured, or with recordings). */
    static String camera(String id, RecordingCatalog catalog, SettingsService settings) {
        if (!CameraId.isValid(id)) {
            throw ApiException.badRequest("'" + ApiRequest.shown(id) + "' is not a camera id: ids use 1 to 64"
                    + " characters of a-z, 0-9, '_' and '-'.");
        }
        if (catalog.cameras().contains(id)) {
            return id;
        }
        try {
            if (settings != null && settings.camera(id).isPresent()) {
                return id;
            }
        } catch (SettingsException e) {
            // the settings cannot be read now: the catalog alone decides
        }
        throw ApiException.notFound("There is no camera '" + id + "': it is not configured and has no recordings;"
                + " GET /api/cameras lists the cameras.");
    }

    /** A time range from the parameters {@code from} and {@code to}, both required. */
    static Instant[] range(ApiRequest r) {
        Instant from = r.instantParam("from").orElseThrow(() -> ApiException.badRequest("Give the start of the"
                + " range as 'from' (such as 2026-12-07T09:00:00Z)."));
        Instant to = r.instantParam("to").orElseThrow(() -> ApiException.badRequest("Give the end of the range as"
                + " 'to' (such as 2026-12-07T10:00:00Z)."));
        return checked(from, to);
    }

    /** Refuses an end before the start and a range longer than {@link #LONGEST_RANGE}. */
    static Instant[] checked(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("The range must end after it starts: 'from' is " + from + ", 'to' is "
                    + to + ".");
        }
        if (Duration.between(from, to).compareTo(LONGEST_RANGE) > 0) {
            throw ApiException.badRequest("The range from " + from + " to " + to + " is longer than "
                    + LONGEST_RANGE.toDays() + " days; ask for a shorter one.");
        }
        return new Instant[] {from, to};
    }

    /** A true/false parameter, {@code dflt} when absent. */
    static boolean flag(ApiRequest r, String name, boolean dflt) {
        Optional<String> v = r.param(name);
        if (v.isEmpty()) {
            return dflt;
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest("The parameter '" + name + "' is true or false, not '"
                    + ApiRequest.shown(v.get()) + "'.");
        };
    }

    /** The answer to a request that started a job: where to follow it. */
    static Map<String, Object> started(Job<?> job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.id());
        m.put("name", job.name());
        m.put("state", job.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("href", "/api/jobs/" + job.id());
        return m;
    }

    /** Starts a job; a runner or storage that is stopping answers 503 with its sentence. */
    static <T> Job<T> start(java.util.function.Supplier<Job<T>> start) {
        try {
            return start.get();
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage() == null ? "The recorder is stopping; try again later."
                    : e.getMessage());
        }
    }
}
