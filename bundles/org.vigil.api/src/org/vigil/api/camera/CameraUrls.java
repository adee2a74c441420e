package org.vigil.api.camera;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks camera URLs and hides their credentials in everything Vigil prints or logs. */
public final class CameraUrls {
    private static final Pattern USERINFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@:]*)(:[^/@]*)?@");

    private CameraUrls() {
    }

    /** {@code rtsp://user:secret@host/x} becomes {@code rtsp://user:***@host/x}; URLs without a password are unchanged. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = USERINFO.matcher(url);
        if (!m.find() || m.group(3) == null) {
            return url;
        }
        return m.group(1) + m.group(2) + ":***@" + url.substring(m.end());
    }

    /** Returns the URL when it is an rtsp:// or rtsps:// URL with a host; otherwise throws with one clear sentence. */
    public static String requireRtsp(String field, String url) {
        String problem = null;
        if (url == null || url.isBlank()) {
            problem = "is empty";
        } else {
            try {
                URI uri = new URI(url.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("rtsp") && !scheme.equals("rtsps")) {
                    problem = "must start with rtsp:// or rtsps://";
                } else if (uri.getHost() == null) {
                    problem = "has no host";
                }
            } catch (URISyntaxException e) {
                problem = "is not a valid URL (" + e.getReason() + ")";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException(
                    "The " + field + " '" + mask(url) + "' " + problem + "; give a URL like rtsp://host:554/stream.");
        }
        return url.trim();
    }
}
