package org.vigil.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.servlet.Servlet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.osgi.util.tracker.BundleTracker;
import org.vigil.api.users.Role;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.0 document of the recorder's API, assembled when asked from the
 * fragments of the bundles that are active now (each names its file with the manifest header
 * {@value WebApi#OPENAPI_HEADER}; this bundle's own is one of them): a stopped bundle's paths are gone with its
 * endpoints. {@code info.version} is the recorder's version; Basic and Bearer are the security schemes.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/openapi.json",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class OpenApiServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(OpenApiServlet.class.getName());

    private final transient Map<Long, Fragment> fragments = new ConcurrentHashMap<>();
    private final transient BundleTracker<Bundle> tracker;
    private final String version;

    /** One bundle's fragment, parsed once when the bundle became active. */
    record Fragment(String bundle, JsonObject json) {
    }

    @Activate
    public OpenApiServlet(BundleContext context) {
        Object v = context.getProperty("vigil.version");
        this.version = v == null ? context.getBundle().getVersion().toString() : v.toString();
        tracker = new BundleTracker<>(context, Bundle.ACTIVE, null) {
            @Override
            public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                String path = bundle.getHeaders("").get(WebApi.OPENAPI_HEADER);
                if (path == null) {
                    return null;
                }
                Fragment f = read(bundle, path.strip());
                if (f != null) {
                    fragments.put(bundle.getBundleId(), f);
                }
                return bundle;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Bundle object) {
                fragments.remove(bundle.getBundleId());
            }
        };
        tracker.open();
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        fragments.clear();
    }

    private static Fragment read(Bundle bundle, String path) {
        URL url = bundle.getEntry(path.startsWith("/") ? path : "/" + path);
        if (url == null) {
            LOG.warning("The bundle " + bundle.getSymbolicName() + " names " + path + " in its "
                    + WebApi.OPENAPI_HEADER + " header, but has no such file; its endpoints are left out of"
                    + " /api/openapi.json.");
            return null;
        }
        try (InputStream in = url.openStream(); Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new JsonParseException("not a JSON object");
            }
            return new Fragment(bundle.getSymbolicName(), e.getAsJsonObject());
        } catch (IOException | JsonParseException | IllegalStateException e) {
            LOG.warning("The OpenAPI fragment " + path + " of the bundle " + bundle.getSymbolicName()
                    + " is not valid JSON (" + e.getMessage() + "); its endpoints are left out of /api/openapi.json.");
            return null;
        }
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        byte[] body = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(document())
                .getBytes(StandardCharsets.UTF_8);
        r.response().setStatus(200);
        r.response().setContentType("application/json;charset=utf-8");
        r.response().setHeader("Cache-Control", "no-store");
        r.response().setContentLength(body.length);
        if (!r.bodyless()) {
            r.response().getOutputStream().write(body);
        }
    }

    /** The whole document from the fragments of the bundles active now. */
    JsonObject document() {
        JsonObject doc = new JsonObject();
        doc.addProperty("openapi", "3.0.3");
        JsonObject info = new JsonObject();
        info.addProperty("title", "Vigil recorder API");
        info.addProperty("version", version);
        info.addProperty("description", "The recorder's HTTPS API. Authenticate with HTTP Basic or a token from"
                + " POST /api/login (Authorization: Bearer). Errors are {\"error\": sentence, \"status\": code}.");
        doc.add("info", info);
        JsonArray servers = new JsonArray();
        JsonObject server = new JsonObject();
        server.addProperty("url", "/");
        servers.add(server);
        doc.add("servers", servers);
        JsonArray security = new JsonArray();
        for (String s : new String[] {"basic", "bearer"}) {
            JsonObject o = new JsonObject();
            o.add(s, new JsonArray());
            security.add(o);
        }
        doc.add("security", security);
        Map<String, JsonElement> paths = new TreeMap<>();
        Map<String, Map<String, JsonElement>> sections = new TreeMap<>();
        Map<String, Fragment> byBundle = new TreeMap<>();
        fragments.values().forEach(f -> byBundle.put(f.bundle(), f));
        for (Fragment f : byBundle.values()) {
            JsonElement p = f.json().get("paths");
            if (p != null && p.isJsonObject()) {
                p.getAsJsonObject().entrySet().forEach(e -> paths.putIfAbsent(e.getKey(), e.getValue()));
            }
            JsonElement c = f.json().get("components");
            if (c != null && c.isJsonObject()) {
                // schemas, responses, parameters...: merged by name, the first bundle (by name) wins a clash
                for (Map.Entry<String, JsonElement> section : c.getAsJsonObject().entrySet()) {
                    if (section.getValue() instanceof JsonObject named && !section.getKey().equals("securitySchemes")) {
                        Map<String, JsonElement> into = sections.computeIfAbsent(section.getKey(), k -> new TreeMap<>());
                        named.entrySet().forEach(e -> into.putIfAbsent(e.getKey(), e.getValue()));
                    }
                }
            }
        }
        JsonObject p = new JsonObject();
        paths.forEach(p::add);
        doc.add("paths", p);
        JsonObject components = new JsonObject();
        JsonObject schemeObjects = new JsonObject();
        JsonObject basic = new JsonObject();
        basic.addProperty("type", "http");
        basic.addProperty("scheme", "basic");
        schemeObjects.add("basic", basic);
        JsonObject bearer = new JsonObject();
        bearer.addProperty("type", "http");
        bearer.addProperty("scheme", "bearer");
        bearer.addProperty("description", "A token from POST /api/login.");
        schemeObjects.add("bearer", bearer);
        components.add("securitySchemes", schemeObjects);
        sections.putIfAbsent("schemas", new TreeMap<>());
        sections.forEach((name, named) -> {
            JsonObject o = new JsonObject();
            named.forEach(o::add);
            components.add(name, o);
        });
        doc.add("components", components);
        return doc;
    }
}
