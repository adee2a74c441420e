package org.vigil.api.camera;

import java.util.regex.Pattern;

/**
 * Camera ids name folders under the recordings root, so they are restricted to a safe alphabet:
 * {@code [a-z0-9][a-z0-9_-]{0,63}}. Anything else ({@code ../../etc}, spaces, upper case) is refused.
 */
public final class CameraId {
    public static final String RULE = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private CameraId() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns {@code id} when valid; otherwise throws with one sentence naming the rule. */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("Camera id '" + id + "' is not allowed: use 1 to 64 characters of"
                    + " a-z, 0-9, '_' and '-', starting with a letter or digit.");
        }
        return id;
    }
}
