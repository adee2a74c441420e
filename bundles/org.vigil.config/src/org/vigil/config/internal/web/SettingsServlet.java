package org.vigil.config.internal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.config.internal.ConfigAdminSettings;
import org.vigil.config.internal.ConfigData;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/**
 * The settings sections over HTTPS, what {@code vigil config get|set} does: {@code GET /api/settings} (every
 * section), {@code GET /api/settings/{section}}, {@code PATCH /api/settings} with {@code {"section": {"key": value}}}
 * and {@code PATCH /api/settings/{section}} with {@code {"key": value}} (null resets a key to its default). Values
 * are checked as {@code config set} checks them, all before anything is saved. Retention settings that would delete
 * more than a little of a camera's recordings are refused (409) unless the request says {@code ?yes=true}, as the
 * command's {@code --yes}. Reading needs the viewer role, changing the admin role; every change goes to the audit log.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/settings",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/settings/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class SettingsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient ConfigAdminSettings settings;
    private final transient AuditLog audit;

    /** The storage's retention preview, as {@code ConfigCommand} uses it; absent when no storage runs. */
    @Reference(service = Function.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(vigil.preview=retention)")
    private transient volatile Function<Map<String, Object>, Map<String, Object>> retentionPreview;

    @Activate
    public SettingsServlet(@Reference ConfigAdminSettings settings, @Reference AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        Optional<String> section = section(r);
        r.json(200, CamerasServlet.call(() -> settingsOf(section)));
    }

    @Override
    protected void patch(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.ADMIN);
        Optional<String> only = section(r);
        Map<String, Object> body = CamerasServlet.object(r.body(WebApi.MAX_BODY_BYTES));
        // section name -> key -> value, as the request gives them
        Map<String, Map<String, Object>> given = new LinkedHashMap<>();
        if (only.isPresent()) {
            given.put(only.get(), body);
        } else {
            for (Map.Entry<String, Object> e : body.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw ApiException.badRequest("Give each section's changes as an object, such as {\"retention\":"
                            + " {\"maxAgeDays\": 30}}; '" + ApiRequest.shown(e.getKey()) + "' is not one.");
                }
                Map<String, Object> values = new LinkedHashMap<>();
                m.forEach((k, v) -> values.put(String.valueOf(k), v));
                given.put(e.getKey(), values);
            }
        }
        if (given.values().stream().allMatch(Map::isEmpty)) {
            throw ApiException.badRequest("Say what to change, such as {\"retention\": {\"maxAgeDays\": 30}}.");
        }
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>(); // pid -> complete new values
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : given.entrySet()) {
            String pid = pid(e.getKey());
            for (Map.Entry<String, Object> kv : e.getValue().entrySet()) {
                if (kv.getValue() instanceof Map) {
                    throw ApiException.badRequest("The setting " + ApiRequest.shown(e.getKey() + "." + kv.getKey())
                            + " takes a text, number, true/false or list, not an object.");
                }
                names.add(e.getKey() + "." + kv.getKey() + "=" + kv.getValue());
            }
            Map<String, Object> merged = CamerasServlet.call(() -> settings.mergeSection(pid, e.getValue()));
            if (!ConfigData.sameValues(CamerasServlet.call(() -> settings.section(pid)), merged)) {
                sections.put(pid, merged);
            }
        }
        List<String> deleting = retentionCheck(sections.get(ConfigData.retentionPid()),
                r.param("yes").map(Boolean::parseBoolean).orElse(false));
        if (!sections.isEmpty()) {
            CamerasServlet.call(() -> settings.apply(new ConfigAdminSettings.Plan(List.of(), List.of(), sections)));
            audit.record(caller.actor(), "settings.change", only.orElse("settings"), String.join(", ", names));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", !sections.isEmpty());
        answer.put("deleting", deleting);
        answer.put("settings", CamerasServlet.call(() -> settingsOf(only)));
        r.json(200, answer);
    }

    private Map<String, Object> settingsOf(Optional<String> section) throws org.vigil.api.config.SettingsException {
        try {
            return ConfigData.settings(settings, section);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }

    private static String pid(String section) {
        try {
            return ConfigData.sectionPid(section);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static Optional<String> section(ApiRequest r) {
        List<String> parts = r.parts();
        if (parts.size() > 1) {
            throw ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path()) + "; the settings are"
                    + " at /api/settings and /api/settings/{section}.");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(parts.get(0));
    }

    /** As {@code vigil config set}: a large deletion needs {@code yes}; answers what will be deleted. */
    private List<String> retentionCheck(Map<String, Object> retention, boolean yes) {
        Function<Map<String, Object>, Map<String, Object>> preview = retentionPreview;
        if (retention == null || preview == null) {
            return List.of();
        }
        Map<String, Object> p;
        try {
            p = preview.apply(retention);
        } catch (RuntimeException e) {
            throw new ApiException(503, "What the new retention settings would delete cannot be worked out ("
                    + e.getMessage() + "); nothing was changed.");
        }
        List<String> lines = new ArrayList<>();
        if (p.get("lines") instanceof List<?> l) {
            l.forEach(x -> lines.add(String.valueOf(x)));
        }
        if (Boolean.TRUE.equals(p.get("large")) && !yes) {
            throw ApiException.conflict("Nothing was changed: the new retention settings would delete more than 10 %"
                    + " or more than a day of a camera's recordings (" + String.join("; ", lines) + "); send the"
                    + " request again with ?yes=true to apply them.");
        }
        return lines;
    }
}
