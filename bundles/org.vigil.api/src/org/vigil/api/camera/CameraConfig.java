package org.vigil.api.camera;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One camera's settings, validated on construction: an invalid value throws {@link IllegalArgumentException}
 * with a sentence naming the field and the rule.
 */
public record CameraConfig(String id, String name, String url, Optional<String> subUrl, Codec codec, boolean record,
        boolean enabled, Transport transport, Duration reconnectMin, Duration reconnectMax, Duration watchdog,
        Duration segmentLength) {

    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WATCHDOG = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SEGMENT = Duration.ofSeconds(60);

    public CameraConfig {
        CameraId.require(id);
        name = name == null || name.isBlank() ? id : name.strip();
        url = CameraUrls.requireRtsp("main URL", url);
        subUrl = Objects.requireNonNullElse(subUrl, Optional.<String>empty()).filter(s -> !s.isBlank())
                .map(s -> CameraUrls.requireRtsp("sub-stream URL", s));
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(transport, "transport");
        requirePositive("reconnect delay minimum", reconnectMin);
        requirePositive("reconnect delay maximum", reconnectMax);
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("The reconnect delay maximum (" + reconnectMax.toSeconds()
                    + " s) must not be below the minimum (" + reconnectMin.toSeconds() + " s).");
        }
        requirePositive("watchdog", watchdog);
        requirePositive("segment length", segmentLength);
    }

    /** A camera with default settings: H.264 auto-detected, recording, TCP, 60 s segments. */
    public static CameraConfig of(String id, String name, String url) {
        return new CameraConfig(id, name, url, Optional.empty(), Codec.AUTO, true, true, Transport.TCP,
                DEFAULT_RECONNECT_MIN, DEFAULT_RECONNECT_MAX, DEFAULT_WATCHDOG, DEFAULT_SEGMENT);
    }

    /** The URL the live view uses: the sub-stream when there is one. */
    public String liveUrl() {
        return subUrl.orElse(url);
    }

    @Override
    public String toString() {
        return "CameraConfig[id=" + id + ", name=" + name + ", url=" + CameraUrls.mask(url) + ", subUrl="
                + subUrl.map(CameraUrls::mask).orElse("") + ", codec=" + codec.id() + ", record=" + record
                + ", enabled=" + enabled + ", transport=" + transport.id() + "]";
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The " + field + " must be a positive number of seconds.");
        }
    }
}
