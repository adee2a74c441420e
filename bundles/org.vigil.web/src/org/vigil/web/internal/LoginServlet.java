package org.vigil.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.users.Authenticator;
import org.vigil.api.users.UsersException;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

/**
 * {@code POST /api/login} ({@code {"user": ..., "password": ...}}, the one request without credentials) answers a
 * token for {@code Authorization: Bearer} and when it expires; the {@link Authenticator} checks the password and
 * throttles an address that keeps failing, as for Basic. {@code DELETE /api/login} ends the token it is sent with.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + LoginServlet.PATH,
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class LoginServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = WebApi.PREFIX + "/login";

    /** The login request's body. */
    static final class Login {
        String user;
        String password;
    }

    private final transient Authenticator authenticator;
    private final transient Tokens tokens;

    @Activate
    public LoginServlet(@Reference Authenticator authenticator, @Reference Tokens tokens) {
        this.authenticator = authenticator;
        this.tokens = tokens;
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        Login login = r.body(Login.class);
        if (login.user == null || login.user.isBlank() || login.password == null) {
            throw ApiException.badRequest("Send {\"user\": \"NAME\", \"password\": \"PASSWORD\"}.");
        }
        Authenticator.Result result;
        try {
            result = authenticator.authenticate(login.user.strip(), login.password.toCharArray(),
                    r.request().getRemoteAddr());
        } catch (UsersException e) {
            throw new ApiException(503, "The recorder cannot check passwords right now; its log says why.");
        }
        if (result instanceof Authenticator.Throttled t) {
            long s = Math.max(1, t.retryAfter().toSeconds());
            r.response().setHeader("Retry-After", Long.toString(s));
            throw new ApiException(429, "Too many failed logins from " + r.request().getRemoteAddr() + "; try again in "
                    + s + " s.");
        }
        if (!(result instanceof Authenticator.Accepted a)) {
            throw new ApiException(401, "The user name or password is wrong.");
        }
        Map.Entry<String, Tokens.Grant> t = tokens.issue(a.user());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", t.getKey());
        m.put("expires", t.getValue().expires());
        m.put("user", a.user().name());
        m.put("role", a.user().role());
        r.json(200, m);
    }

    @Override
    protected void delete(ApiRequest r) {
        r.caller(); // authenticated (the context let only POST through without credentials)
        Object token = r.request().getAttribute(VigilContext.TOKEN_ATTRIBUTE);
        if (!(token instanceof String s)) {
            throw ApiException.badRequest("DELETE /api/login ends the token sent as 'Authorization: Bearer TOKEN';"
                    + " a user name and password (Basic) have nothing to end.");
        }
        tokens.end(s);
        r.noContent();
    }
}
