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

    /**
     * Why the camera name in {@code props} cannot be used, or null: a name with a control character (a line break,
     * a tab, the escape that starts a terminal sequence) or an invisible format character (such as a right-to-left
     * override) would be printed raw in lists and logs. The name itself is not repeated.
     */
    static String nameProblem(Map<String, ?> props) {
        Object name = props.get(CameraProperties.NAME);
        if (name == null) {
            return null;
        }
        String s = name.toString();
        boolean bad = s.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
        if (bad) {
            return "The camera name contains a control character (a line break, tab or terminal escape) or an"
                    + " invisible formatting character; give a name of plain text, such as \"Front door\".";
        }
        if (s.length() > 200) {
            return "The camera name is " + s.length() + " characters long; give a name of at most 200 characters.";
        }
        return null;
    }

    static String names() {
        return String.join(", ", KEYS.keySet());
    }
}
