package org.vigil.api.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.Transport;

/**
 * Conversions between a camera's configuration properties ({@link CameraSettings}) and {@link CameraConfig}.
 * Every conversion validates: an invalid value throws {@link IllegalArgumentException} with one sentence naming the
 * field and the rule.
 */
public final class CameraProperties {
    public static final String ID = "id";
    public static final String NAME = "name";
    public static final String URL = "url";
    public static final String SUB_URL = "subUrl";
    public static final String CODEC = "codec";
    public static final String RECORD = "record";
    public static final String ENABLED = "enabled";
    public static final String TRANSPORT = "transport";
    public static final String RECONNECT_MIN = "reconnectMinSeconds";
    public static final String RECONNECT_MAX = "reconnectMaxSeconds";
    public static final String WATCHDOG = "watchdogSeconds";
    public static final String SEGMENT = "segmentSeconds";

    /** Every property name, in the order they are shown. */
    public static final List<String> NAMES = List.of(ID, NAME, URL, SUB_URL, CODEC, RECORD, ENABLED, TRANSPORT,
            RECONNECT_MIN, RECONNECT_MAX, WATCHDOG, SEGMENT);

    private CameraProperties() {
    }

    /** The PID of a camera's factory configuration: {@code org.vigil.camera~<id>}. */
    public static String pid(String id) {
        return CameraSettings.FACTORY_PID + "~" + CameraId.require(id);
    }

    /** The camera id named by a configuration PID, when it is one of a camera. */
    public static Optional<String> idOfPid(String pid) {
        String prefix = CameraSettings.FACTORY_PID + "~";
        if (pid == null || !pid.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of(pid.substring(prefix.length()));
    }

    /** The settings a camera component received, validated. */
    public static CameraConfig toConfig(CameraSettings s) {
        return build(s.id(), s.name(), s.url(), s.subUrl(), s.codec(), s.record(), s.enabled(), s.transport(),
                s.reconnectMinSeconds(), s.reconnectMaxSeconds(), s.watchdogSeconds(), s.segmentSeconds());
    }

    /**
     * A camera's configuration properties, validated. Missing properties take the defaults of
     * {@link CameraSettings}; numbers and booleans may also be given as strings ({@code "30"}, {@code "on"}).
     */
    public static CameraConfig toConfig(Map<String, ?> p) {
        String id = string(p, ID, null);
        if (id == null) {
            throw new IllegalArgumentException("The camera id is missing; use 1 to 64 characters of a-z, 0-9, '_' and"
                    + " '-', starting with a letter or digit.");
        }
        return build(id, string(p, NAME, ""), string(p, URL, null), string(p, SUB_URL, ""), string(p, CODEC, "auto"),
                bool(p, RECORD, "recording switch", true), bool(p, ENABLED, "enabled switch", true),
                string(p, TRANSPORT, "tcp"), seconds(p, RECONNECT_MIN, "reconnect delay minimum", 1),
                seconds(p, RECONNECT_MAX, "reconnect delay maximum", 30), seconds(p, WATCHDOG, "watchdog", 5),
                seconds(p, SEGMENT, "segment length", 60));
    }

    /**
     * The configuration properties of a camera: typed values ({@code String}, {@code Boolean}, {@code Integer}
     * seconds, rounded up to whole seconds), no sub-stream property when there is none.
     */
    public static Map<String, Object> toProperties(CameraConfig c) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ID, c.id());
        p.put(NAME, c.name());
        p.put(URL, c.url());
        c.subUrl().ifPresent(s -> p.put(SUB_URL, s));
        p.put(CODEC, c.codec().id());
        p.put(RECORD, c.record());
        p.put(ENABLED, c.enabled());
        p.put(TRANSPORT, c.transport().id());
        p.put(RECONNECT_MIN, wholeSeconds(c.reconnectMin()));
        p.put(RECONNECT_MAX, wholeSeconds(c.reconnectMax()));
        p.put(WATCHDOG, wholeSeconds(c.watchdog()));
        p.put(SEGMENT, wholeSeconds(c.segmentLength()));
        return p;
    }

    private static CameraConfig build(String id, String name, String url, String subUrl, String codec, boolean record,
            boolean enabled, String transport, int reconnectMin, int reconnectMax, int watchdog, int segment) {
        CameraId.require(id);
        if (url == null) {
            throw new IllegalArgumentException("The main URL of camera '" + id
                    + "' is missing; give a URL like rtsp://host:554/stream.");
        }
        Codec c = Codec.parse(codec).orElseThrow(() -> new IllegalArgumentException("The codec '" + codec
                + "' of camera '" + id + "' is not known: use auto, h264, h265 or mjpeg."));
        Transport t = Transport.parse(transport).orElseThrow(() -> new IllegalArgumentException("The transport '"
                + transport + "' of camera '" + id + "' is not known: use tcp or udp."));
        return new CameraConfig(id, name, url, Optional.ofNullable(subUrl).filter(s -> !s.isBlank()), c, record,
                enabled, t, Duration.ofSeconds(reconnectMin), Duration.ofSeconds(reconnectMax),
                Duration.ofSeconds(watchdog), Duration.ofSeconds(segment));
    }

    private static int wholeSeconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    private static String string(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null ? fallback : v.toString();
    }

    private static boolean bool(Map<String, ?> p, String key, String field, boolean fallback) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1":
                return true;
            case "false", "off", "no", "0":
                return false;
            default:
                throw new IllegalArgumentException(
                        "The " + field + " '" + v + "' must be on or off (true or false).");
        }
    }

    private static int seconds(Map<String, ?> p, String key, String field, int fallback) {
        Object v = p.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long n = ((Number) v).longValue();
            if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("The " + field + " " + n + " is too large.");
            }
            return (int) n;
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "The " + field + " '" + v + "' must be a whole number of seconds.");
        }
    }
}
