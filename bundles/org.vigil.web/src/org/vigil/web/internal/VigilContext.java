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
import java.util.Optional;
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
import org.vigil.api.users.User;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/**
 * The recorder's servlet context: every request is authenticated before an endpoint sees it. HTTP Basic (for curl,
 * ffmpeg, VLC: checked by the {@link Authenticator}, which caches a verified password for minutes and throttles an
 * address that keeps failing: 429 with Retry-After), or a token from {@code POST /api/login} ({@code Authorization:
 * Bearer}, checked against the user as it is now: see {@link Tokens}). A request without credentials, or with wrong
 * ones, gets 401 with {@code WWW-Authenticate: Basic} and one JSON sentence. {@code POST /api/login} alone passes
 * without credentials: it is how a client gets a token.
 */
@Component(service = ServletContextHelper.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + WebApi.CONTEXT_NAME,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH + "=/" })
public final class VigilContext extends ServletContextHelper {
    private static final Logger LOG = Logger.getLogger(VigilContext.class.getName());
    static final String REALM = "Vigil recorder";

    /** The request attribute holding the token a request was authenticated with (for {@code DELETE /api/login}). */
    static final String TOKEN_ATTRIBUTE = "org.vigil.web.token";

    private final Authenticator authenticator;
    private final Tokens tokens;
    private final UserService users;

    @Activate
    public VigilContext(@Reference Authenticator authenticator, @Reference Tokens tokens,
            @Reference UserService users) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.users = users;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String address = req.getRemoteAddr();
        if (isLogin(req)) {
            return true; // the one request without credentials: LoginServlet checks them (throttled the same way)
        }
        String header = req.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return refuse(resp, 401, "This recorder needs a user name and password (HTTP Basic) or a token"
                    + " (Authorization: Bearer, from POST /api/login).");
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(req, resp, header.substring(6).strip(), address);
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(req, resp, header.substring(7).strip(), address);
        }
        return refuse(resp, 401, "The Authorization header must be Basic (user and password) or Bearer (a token).");
    }

    static boolean isLogin(HttpServletRequest req) {
        return "POST".equals(req.getMethod()) && LoginServlet.PATH.equals(req.getServletPath())
                && req.getPathInfo() == null;
    }

    private boolean bearer(HttpServletRequest req, HttpServletResponse resp, String token, String address)
            throws IOException {
        Optional<Tokens.Grant> grant = tokens.find(token);
        if (grant.isEmpty()) {
            return refuse(resp, 401, "The token is not valid or has expired; log in again with POST /api/login.");
        }
        Tokens.Grant g = grant.get();
        Optional<User> now;
        try {
            now = users.find(g.user());
        } catch (UsersException e) {
            LOG.log(Level.WARNING, "The users' file could not be read to check a token: " + e.getMessage());
            return refuse(resp, 503, "The recorder cannot check tokens right now; its log says why.");
        }
        User issued = g.issuedFor();
        if (now.isEmpty() || now.get().role() != issued.role()
                || !now.get().passwordChanged().equals(issued.passwordChanged())) {
            tokens.endAll(g.user());
            return refuse(resp, 401, "The token has ended because the user " + g.user() + " was removed or their"
                    + " password or role changed; log in again.");
        }
        req.setAttribute(WebApi.CALLER_ATTRIBUTE, new Caller(issued.name(), issued.role(), address));
        req.setAttribute(TOKEN_ATTRIBUTE, token);
        return true;
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
            resp.addHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
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
