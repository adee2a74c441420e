package org.vigil.config.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.config.CameraProperties;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** The data behind {@code --json} output and setup files (written by {@code JsonOutput}); setup files read back. */
final class Json {
    private Json() {
    }

    /** A camera's properties as JSON data, URLs masked unless {@code withSecrets}. */
    static Map<String, Object> camera(CameraConfig c, boolean withSecrets) {
        Map<String, Object> m = new LinkedHashMap<>(CameraProperties.toProperties(c));
        if (!withSecrets) {
            m.put(CameraProperties.URL, CameraUrls.mask(c.url()));
            c.subUrl().ifPresent(s -> m.put(CameraProperties.SUB_URL, CameraUrls.mask(s)));
        }
        return m;
    }

    /** A settings value as JSON data (lists as arrays). */
    static Object value(Object v) {
        if (v instanceof String[] a) {
            return List.of(a);
        }
        return v;
    }

    /** JSON read from a file turned into plain values: text, whole numbers as Long, booleans, lists of text. */
    static Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                return p.getAsBoolean();
            }
            if (p.isNumber()) {
                BigDecimal d = p.getAsBigDecimal();
                try {
                    return d.longValueExact();
                } catch (ArithmeticException notWhole) {
                    return d.toPlainString();
                }
            }
            return p.getAsString();
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            List<String> items = new ArrayList<>();
            for (JsonElement item : a) {
                Object v = plain(item);
                items.add(v == null ? "" : v.toString());
            }
            return items;
        }
        JsonObject o = e.getAsJsonObject();
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : o.entrySet()) {
            m.put(entry.getKey(), plain(entry.getValue()));
        }
        return m;
    }
}
