package org.vigil.config.internal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.SettingsException;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.config.internal.ConfigAdminSettings;
import org.vigil.config.internal.ConfigData;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

import com.google.gson.JsonElement;

/**
 * The cameras' settings over HTTPS, what {@code vigil camera list|show|add|set|remove} does: {@code GET /api/cameras},
 * {@code POST /api/cameras}, {@code GET|PATCH|DELETE /api/cameras/{id}}. Passwords in URLs are always masked in
 * answers. Reading needs the viewer role, changing the admin role; every change goes to the audit log.
 * <p>
 * The camera bundle answers {@code /api/cameras/{id}/status} and {@code /api/cameras/{id}/snapshot.jpg}: a servlet
 * pattern cannot have a wildcard in the middle, so this servlet, which owns {@code /api/cameras/*}, forwards those
 * two to the whiteboard servlet named {@value #CAMERA_SERVLET} through the context's named dispatcher, with the
 * checked path parts in the request attribute {@value #PARTS_ATTRIBUTE}. Without the camera bundle they answer 503.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/cameras",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/cameras/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class CamerasServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    /** The whiteboard name of the camera bundle's servlet that answers a camera's status and snapshot. */
    public static final String CAMERA_SERVLET = "org.vigil.camera.web";

    /** The request attribute carrying the checked path parts ({@code [front, status]}) to that servlet. */
    public static final String PARTS_ATTRIBUTE = "org.vigil.camera.web.parts";

    private final transient ConfigAdminSettings settings;
    private final transient AuditLog audit;

    @Activate
    public CamerasServlet(@Reference ConfigAdminSettings settings, @Reference AuditLog audit) {
        this.settings = settings;
        this.audit = audit;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        List<String> parts = r.parts();
        if (parts.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (CameraConfig c : call(settings::cameras)) {
                list.add(ConfigData.camera(c));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cameras", list);
            r.json(200, m);
            return;
        }
        if (parts.size() == 2 && (parts.get(1).equals("status") || parts.get(1).equals("snapshot.jpg"))) {
            checkedId(parts.get(0));
            forwardToCameraBundle(r, parts);
            return;
        }
        String id = cameraId(r, parts);
        r.json(200, ConfigData.camera(existing(id)));
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.ADMIN);
        if (!r.parts().isEmpty()) {
            throw ApiException.methodNotAllowed("POST", r.path());
        }
        Map<String, Object> body = object(r.body(WebApi.MAX_BODY_BYTES));
        Object id = body.get("id");
        Object url = body.get(CameraProperties.URL);
        if (!(id instanceof String) || ((String) id).isBlank()) {
            throw ApiException.badRequest("Give the camera's id, such as {\"id\": \"front\", \"url\": \"rtsp://...\"}.");
        }
        if (!(url instanceof String) || ((String) url).isBlank()) {
            throw ApiException.badRequest("Give the camera's main stream URL, such as {\"id\": \"" + id
                    + "\", \"url\": \"rtsp://192.168.1.20:554/stream1\"}.");
        }
        String cameraId = checkedId((String) id);
        if (call(() -> settings.camera(cameraId)).isPresent()) {
            throw ApiException.conflict("Camera '" + cameraId + "' already exists; change it with PATCH /api/cameras/"
                    + cameraId + " or remove it first.");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CameraProperties.ID, cameraId);
        Object segment = call(() -> settings.section(RecordingSettings.PID)).get("segmentSeconds");
        if (segment != null) {
            props.put(CameraProperties.SEGMENT, segment);
        }
        List<String> given = apply(props, body, true);
        CameraConfig camera = valid(props);
        call(() -> {
            settings.addCamera(camera);
            return null;
        });
        audit.record(caller.actor(), "camera.add", camera.id(), CameraUrls.mask(camera.url()) + " ("
                + String.join(", ", given) + ")");
        r.response().setHeader("Location", WebApi.PREFIX + "/cameras/" + camera.id());
        r.json(201, ConfigData.camera(camera));
    }

    @Override
    protected void patch(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.ADMIN);
        String id = cameraId(r, r.parts());
        Map<String, Object> body = object(r.body(WebApi.MAX_BODY_BYTES));
        if (body.isEmpty()) {
            throw ApiException.badRequest("Say what to change, such as {\"record\": false}; the keys are "
                    + ConfigData.cameraKeyNames() + ".");
        }
        Map<String, Object> props = call(() -> settings.cameraProperties(id)).orElseThrow(() -> missing(id));
        List<String> changed = apply(props, body, false);
        CameraConfig camera = valid(props);
        boolean written = call(() -> settings.changeCamera(camera));
        if (written) {
            audit.record(caller.actor(), "camera.change", id, String.join(", ", changed));
        }
        r.json(200, ConfigData.camera(camera));
    }

    @Override
    protected void delete(ApiRequest r) throws IOException {
        Caller caller = r.caller().require(Role.ADMIN);
        String id = cameraId(r, r.parts());
        if (!call(() -> settings.removeCamera(id))) {
            throw missing(id);
        }
        audit.record(caller.actor(), "camera.remove", id, "its recordings are kept");
        r.noContent();
    }

    /**
     * Puts the body's settings into {@code props} (keys as the command line names them or as properties; null
     * removes a name or sub-stream URL, as {@code key=} does). Answers the keys given, for the audit log.
     */
    private static List<String> apply(Map<String, Object> props, Map<String, Object> body, boolean adding) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equalsIgnoreCase("id")) {
                if (!adding && !String.valueOf(value).equals(props.get(CameraProperties.ID))) {
                    throw ApiException.badRequest("The id of a camera cannot be changed: add the camera under the"
                            + " new id and remove the old one.");
                }
                continue;
            }
            String property = ConfigData.cameraProperty(key).orElseThrow(() -> ApiException.badRequest(
                    "Unknown camera setting '" + ApiRequest.shown(key) + "': the keys are "
                            + ConfigData.cameraKeyNames() + "."));
            if (value instanceof Map || value instanceof List) {
                throw ApiException.badRequest("The camera setting '" + ApiRequest.shown(key) + "' takes a text,"
                        + " number or true/false, not a list or an object.");
            }
            if (value == null || value.toString().isBlank()) {
                if (property.equals(CameraProperties.SUB_URL) || property.equals(CameraProperties.NAME)) {
                    props.remove(property);
                } else {
                    throw ApiException.badRequest("The camera setting '" + ApiRequest.shown(key) + "' cannot be"
                            + " empty; only name and sub-url can be removed.");
                }
            } else {
                props.put(property, value instanceof Boolean b ? (b ? "on" : "off") : value.toString());
            }
            changed.add(key.toLowerCase(Locale.ROOT));
        }
        return changed;
    }

    private void forwardToCameraBundle(ApiRequest r, List<String> parts) throws IOException {
        RequestDispatcher d = r.request().getServletContext().getNamedDispatcher(CAMERA_SERVLET);
        if (d == null) {
            throw new ApiException(503, "Camera status and snapshots are answered by the camera recorder, which is"
                    + " not running in this instance; see 'vigil status'.");
        }
        r.request().setAttribute(PARTS_ATTRIBUTE, List.copyOf(parts));
        try {
            d.forward(r.request(), r.response());
        } catch (ServletException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String cameraId(ApiRequest r, List<String> parts) {
        if (parts.size() != 1) {
            throw ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path()) + "; a camera is at"
                    + " /api/cameras/{id}, its state at /api/cameras/{id}/status.");
        }
        return checkedId(parts.get(0));
    }

    private static String checkedId(String id) {
        if (!CameraId.isValid(id)) {
            throw ApiException.badRequest("'" + ApiRequest.shown(id) + "' is not a camera id: use 1 to 64"
                    + " characters of a-z, 0-9, '_' and '-', starting with a letter or digit.");
        }
        return id;
    }

    private CameraConfig existing(String id) {
        return call(() -> settings.camera(id)).orElseThrow(() -> missing(id));
    }

    private static ApiException missing(String id) {
        return ApiException.notFound("There is no camera '" + id + "'; GET /api/cameras lists the cameras.");
    }

    private static CameraConfig valid(Map<String, Object> props) {
        try {
            return ConfigData.validCamera(props);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(JsonElement e) {
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("The body must be a JSON object, such as {\"record\": false}.");
        }
        return (Map<String, Object>) ConfigData.plain(e);
    }

    interface SettingsCall<T> {
        T call() throws SettingsException;
    }

    /** A settings call; its refusal (an invalid value, a full disk) becomes a 400 with its sentence. */
    static <T> T call(SettingsCall<T> c) {
        try {
            return c.call();
        } catch (SettingsException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
