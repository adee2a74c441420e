package org.vigil.api.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The passwords of camera URLs, kept apart from the camera configurations (issue 22: {@code vigil shell} printed
 * them with {@code cm:getConfiguration}). Configuration Admin, and so everything that prints its configurations,
 * holds a camera URL without its password ({@code rtsp://admin@host/path}) and, in {@link #URL_SECRET} or
 * {@link #SUB_URL_SECRET}, a reference to the password kept in {@code config.db}; a new password gets a new
 * reference, so the configuration changes and the camera reconnects with it. {@link SettingsService} puts the
 * passwords back for its callers; a camera asks this service ({@link #resolve}) when it reads its configuration.
 * A URL stored with its password (an old database, a configuration written directly) is used as it is.
 *
 * @since 1.2
 */
@ProviderType
public interface CameraSecrets {
    /** The property holding the reference to the password of the main URL. */
    String URL_SECRET = "urlSecret";
    /** The property holding the reference to the password of the sub-stream URL. */
    String SUB_URL_SECRET = "subUrlSecret";

    /** A URL split into the URL without its password and the password as written in it (percent-encoded). */
    record Split(String url, Optional<String> password) {
    }

    /**
     * The password (as written in the URL's user-info, percent-encoded) kept for camera {@code cameraId} under
     * {@code ref}; empty when none is kept (another camera's reference names nothing here).
     */
    Optional<String> password(String cameraId, String ref);

    /**
     * A camera's configuration properties with the passwords their references name put back into the URLs and the
     * references removed: what the camera connects with. Properties without references are returned unchanged.
     */
    default Map<String, Object> resolve(Map<String, ?> properties) {
        Map<String, Object> result = new LinkedHashMap<>(properties);
        Object id = properties.get(CameraProperties.ID);
        resolve(result, id, CameraProperties.URL, URL_SECRET);
        resolve(result, id, CameraProperties.SUB_URL, SUB_URL_SECRET);
        return result;
    }

    private void resolve(Map<String, Object> p, Object id, String urlKey, String refKey) {
        Object ref = p.remove(refKey);
        Object url = p.get(urlKey);
        if (ref == null || url == null || id == null) {
            return;
        }
        password(id.toString(), ref.toString()).ifPresent(pw -> p.put(urlKey, withPassword(url.toString(), pw)));
    }

    /**
     * {@code url} split at its password: {@code rtsp://user:pw@host/x} gives {@code rtsp://user@host/x} and
     * {@code pw}. The user-info ends at the last '@' before the path; the password starts after its first ':'.
     */
    static Split split(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return new Split(url, Optional.empty());
        }
        int start = scheme + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        int colon = at < 0 ? -1 : authority.indexOf(':');
        if (colon < 0 || colon > at) {
            return new Split(url, Optional.empty());
        }
        String stripped = url.substring(0, start + colon) + url.substring(start + at);
        return new Split(stripped, Optional.of(authority.substring(colon + 1, at)));
    }

    /** {@code url} (without a password, with or without a user) with {@code password} put into its user-info. */
    static String withPassword(String url, String password) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = url.indexOf('/', start);
        String authority = end < 0 ? url.substring(start) : url.substring(start, end);
        int at = authority.lastIndexOf('@');
        if (at < 0 || authority.substring(0, at).contains(":")) {
            return url;
        }
        return url.substring(0, start + at) + ":" + password + url.substring(start + at);
    }
}
