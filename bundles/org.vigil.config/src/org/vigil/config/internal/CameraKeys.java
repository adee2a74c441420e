package org.vigil.config.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.config.CameraProperties;

/**
 * The names users give camera settings on the command line ({@code sub-url}, {@code reconnect-min}, ...) and the
 * configuration properties they stand for. The property names themselves ({@code subUrl}) are accepted too.
 */
final class CameraKeys {
    /** Command-line name to property, in the order shown in help. */
    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("name", CameraProperties.NAME);
        KEYS.put("url", CameraProperties.URL);
        KEYS.put("sub-url", CameraProperties.SUB_URL);
        KEYS.put("codec", CameraProperties.CODEC);
        KEYS.put("record", CameraProperties.RECORD);
        KEYS.put("enabled", CameraProperties.ENABLED);
        KEYS.put("transport", CameraProperties.TRANSPORT);
        KEYS.put("reconnect-min", CameraProperties.RECONNECT_MIN);
        KEYS.put("reconnect-max", CameraProperties.RECONNECT_MAX);
        KEYS.put("watchdog", CameraProperties.WATCHDOG);
        KEYS.put("segment", CameraProperties.SEGMENT);
    }

    private CameraKeys() {
    }

    /** The property a user's key names, if any. */
    static Optional<String> property(String key) {
        String k = key.strip();
        if (KEYS.containsKey(k.toLowerCase(Locale.ROOT))) {
            return Optional.of(KEYS.get(k.toLowerCase(Locale.ROOT)));
        }
        return KEYS.values().stream().filter(p -> p.equalsIgnoreCase(k)).findFirst();
    }

    static String names() {
        return String.join(", ", KEYS.keySet());
    }
}
