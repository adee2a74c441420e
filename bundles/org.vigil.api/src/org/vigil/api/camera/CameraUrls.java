package org.vigil.api.camera;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks camera URLs and hides their credentials in everything Vigil prints or logs. */
public final class CameraUrls {
    private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");
    private static final Pattern PORT = Pattern.compile(".*:(\\d+)");

    private CameraUrls() {
    }

    /**
     * {@code rtsp://user:secret@host/x} becomes {@code rtsp://user:***@host/x}; URLs without a password are unchanged.
     * The password is everything from the first ':' of the user-info to the last '@' of the URL, so that a password
     * typed with '@', '/' or ':' in it is hidden whole (a URL with '@' in its path and a password is shown from that
     * '@' on: more hidden, never less).
     */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme <= 0 || !SCHEME.matcher(url.substring(0, scheme)).matches()) {
            return url;
        }
        int start = scheme + 3;
        int at = url.lastIndexOf('@');
        int colon = url.indexOf(':', start);
        if (at < start || colon < 0 || colon > at) {
            return url;
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null && uri.getRawUserInfo() == null) {
                return url; // a well-formed URL without user-info: an '@' or ':' further on is not a password
            }
        } catch (URISyntaxException e) {
            // not well-formed: hide from the first ':' to the last '@'
        }
        String user = url.substring(start, colon);
        if (user.contains("/") || user.contains("@")) {
            return url;
        }
        return url.substring(0, start) + user + ":***@" + url.substring(at + 1);
    }

    /** True when an '@' or '/' comes before the URL's last '@': a password typed with them, not percent-encoded. */
    private static boolean reservedInUserInfo(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        return at > 0 && (rest.substring(0, at).contains("@") || rest.substring(0, at).contains("/"));
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
                } else if (uri.getHost() == null && reservedInUserInfo(url.trim())) {
                    problem = "has an '@', '/' or other reserved character in its password; write them"
                            + " percent-encoded ('@' as %40, '/' as %2F, ':' as %3A)";
                } else if (uri.getHost() == null && uri.getRawAuthority() != null
                        && PORT.matcher(uri.getRawAuthority()).matches()) {
                    problem = "has a port outside 1 to 65535";
                } else if (uri.getHost() == null) {
                    problem = "has no host";
                } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                    problem = "has port " + uri.getPort() + ", outside 1 to 65535";
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
