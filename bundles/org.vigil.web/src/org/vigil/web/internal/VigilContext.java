package org.vigil.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.users.Authenticator;
import org.vigil.api.users.UsersException;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/**
 * The recorder's servlet context: every request is authenticated before an endpoint sees it. HTTP Basic (for curl,
 * ffmpeg, VLC: checked by the {@link Authenticator}, which caches a verified password for minutes and throttles an
 * address that keeps failing: 429 with Retry-After). A request without credentials, or with wrong ones, gets 401
 * with {@code WWW-Authenticate: Basic} and one JSON sentence.
 */
@Component(service = ServletContextHelper.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + WebApi.CONTEXT_NAME,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH + "=/" })
public final class VigilContext extends ServletContextHelper {
    private static final Logger LOG = Logger.getLogger(VigilContext.class.getName());
    static final String REALM = "Vigil recorder";

    private final Authenticator authenticator;

    @Activate
    public VigilContext(@Reference Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String address = req.getRemoteAddr();
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return refuse(resp, 401, "This recorder needs a user name and password (HTTP Basic) or a token.");
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(req, resp, header.substring(6).strip(), address);
        }
        return refuse(resp, 401, "The Authorization header must be Basic (user and password) or Bearer (a token).");
    }

    private boolean basic(HttpServletRequest req, HttpServletResponse resp, String encoded, String address)
            throws IOException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return refuse(resp, 401, "The Basic credentials are not valid Base64.");
        }
        char[] chars;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            chars = new char[cb.remaining()];
            cb.get(chars);
            Arrays.fill(cb.array(), '\0');
        } catch (CharacterCodingException e) {
            return refuse(resp, 401, "The Basic credentials are not valid UTF-8.");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(chars, '\0');
            return refuse(resp, 401, "The Basic credentials must be a user name and a password.");
        }
        String user = new String(chars, 0, colon);
        char[] password = Arrays.copyOfRange(chars, colon + 1, chars.length);
        Arrays.fill(chars, '\0');
        Authenticator.Result r;
        try {
            r = authenticator.authenticate(user, password, address);
        } catch (UsersException e) {
            LOG.log(Level.WARNING, "The users' file could not be read to check a login: " + e.getMessage());
            return refuse(resp, 503, "The recorder cannot check passwords right now; its log says why.");
        } finally {
            Arrays.fill(password, '\0');
        }
        if (r instanceof Authenticator.Accepted a) {
            req.setAttribute(WebApi.CALLER_ATTRIBUTE, new Caller(a.user().name(), a.user().role(), address));
            return true;
        }
        if (r instanceof Authenticator.Throttled t) {
            long s = Math.max(1, t.retryAfter().toSeconds());
            resp.setHeader("Retry-After", Long.toString(s));
            return refuse(resp, 429, "Too many failed logins from " + address + "; try again in " + s + " s.");
        }
        return refuse(resp, 401, "The user name or password is wrong.");
    }

    static boolean refuse(HttpServletResponse resp, int status, String sentence) throws IOException {
        if (status == 401) {
            resp.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        byte[] body = ("{\n  \"error\": " + jsonString(sentence) + ",\n  \"status\": " + status + "\n}\n")
                .getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        try (OutputStream out = resp.getOutputStream()) {
            out.write(body);
        }
        return false;
    }

    private static String jsonString(String s) {
        return org.vigil.api.command.JsonOutput.write(s);
    }
}
