package org.vigil.web.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.users.Authenticator;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.Page;
import org.vigil.web.api.WebApi;
import org.vigil.web.api.WebEvents;

/**
 * The users over HTTP, for admins: {@code GET /api/users}, {@code POST /api/users}
 * ({@code {"name", "role", "password"}}), {@code PUT /api/users/NAME/password} ({@code {"password"}}; a user of any
 * role may change their own, giving {@code "old_password"}), {@code PUT /api/users/NAME/role} ({@code {"role"}}),
 * {@code DELETE /api/users/NAME}. Through the {@link UserService}, which writes each change to the audit log with
 * the caller and address; each change ends the user's tokens (see {@link Tokens}), is announced as
 * {@code user.changed} on the event stream, and lets the server re-read whether an admin exists.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/users/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/users",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class UsersServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(
            UsersServlet.class.getName());

    static final class NewUser {
        String name;
        String role;
        String password;
    }

    static final class NewPassword {
        String password;
        String old_password;
    }

    static final class NewRole {
        String role;
    }

    private final transient UserService users;
    private final transient Authenticator authenticator;
    private final transient Tokens tokens;
    private final transient HttpServer server;
    private final transient WebEvents events;

    @Activate
    public UsersServlet(@Reference UserService users, @Reference Authenticator authenticator,
            @Reference Tokens tokens, @Reference HttpServer server, @Reference WebEvents events) {
        this.users = users;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.server = server;
        this.events = events;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.ADMIN);
        List<String> parts = r.parts();
        try {
            if (parts.isEmpty()) {
                List<Object> items = new ArrayList<>();
                for (User u : users.list()) {
                    items.add(shown(u));
                }
                r.json(200, Page.of(items, null));
            } else if (parts.size() == 1) {
                r.json(200, shown(existing(parts.get(0))));
            } else {
                throw notHere(r);
            }
        } catch (UsersException e) {
            throw refused(e);
        }
    }

    @Override
    protected void post(ApiRequest r) throws IOException {
        Caller c = r.caller().require(Role.ADMIN);
        if (!r.parts().isEmpty()) {
            throw notHere(r);
        }
        NewUser n = r.body(NewUser.class);
        if (n.name == null || n.password == null || n.role == null) {
            throw ApiException.badRequest("Send {\"name\": \"NAME\", \"role\": \"admin|operator|viewer\","
                    + " \"password\": \"PASSWORD\"}.");
        }
        Role role = role(n.role);
        char[] pw = n.password.toCharArray();
        try {
            User u = users.add(n.name.strip(), role, pw, c.actor());
            changed("added", u.name(), c);
            r.json(201, shown(u));
        } catch (UsersException e) {
            throw refused(e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    @Override
    protected void put(ApiRequest r) throws IOException {
        Caller c = r.caller();
        List<String> parts = r.parts();
        if (parts.size() != 2) {
            throw notHere(r);
        }
        String name = parts.get(0);
        try {
            switch (parts.get(1)) {
                case "password" -> password(r, c, name);
                case "role" -> {
                    c.require(Role.ADMIN);
                    NewRole n = r.body(NewRole.class);
                    Role role = role(n.role);
                    existing(name);
                    users.changeRole(name, role, c.actor());
                    tokens.endAll(name);
                    changed("role", name, c);
                    r.json(200, shown(existing(name)));
                }
                default -> throw notHere(r);
            }
        } catch (UsersException e) {
            throw refused(e);
        }
    }

    private void password(ApiRequest r, Caller c, String name) throws IOException, UsersException {
        boolean own = c.name().equals(name);
        if (!own) {
            c.require(Role.ADMIN);
        }
        NewPassword n = r.body(NewPassword.class);
        if (n.password == null) {
            throw ApiException.badRequest("Send {\"password\": \"NEW\"" + (own ? ", \"old_password\": \"OLD\"" : "")
                    + "}.");
        }
        existing(name);
        if (own) {
            if (n.old_password == null) {
                throw ApiException.badRequest("To change your own password, give the current one as"
                        + " \"old_password\".");
            }
            Authenticator.Result check = authenticator.authenticate(name, n.old_password.toCharArray(),
                    c.address());
            if (check instanceof Authenticator.Throttled t) {
                long s = Math.max(1, t.retryAfter().toSeconds());
                r.response().setHeader("Retry-After", Long.toString(s));
                throw new ApiException(429, "Too many failed logins from " + c.address() + "; try again in " + s
                        + " s.");
            }
            if (!(check instanceof Authenticator.Accepted)) {
                throw new ApiException(403, "The old password is wrong; the password was not changed.");
            }
        }
        char[] pw = n.password.toCharArray();
        try {
            users.changePassword(name, pw, c.actor());
        } finally {
            Arrays.fill(pw, '\0');
        }
        tokens.endAll(name);
        changed("password", name, c);
        r.noContent();
    }

    @Override
    protected void delete(ApiRequest r) throws IOException {
        Caller c = r.caller().require(Role.ADMIN);
        List<String> parts = r.parts();
        if (parts.size() != 1) {
            throw notHere(r);
        }
        String name = parts.get(0);
        try {
            existing(name);
            users.remove(name, c.actor());
            tokens.endAll(name);
            changed("removed", name, c);
            r.noContent();
        } catch (UsersException e) {
            throw refused(e);
        }
    }

    private void changed(String what, String name, Caller c) {
        server.usersChanged();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", name);
        m.put("change", what);
        m.put("by", c.name());
        events.publish("user.changed", m);
    }

    private User existing(String name) throws UsersException {
        Optional<User> u = users.find(name);
        return u.orElseThrow(() -> ApiException.notFound("There is no user '" + ApiRequest.shown(name)
                + "'; GET /api/users lists them."));
    }

    private static Role role(String text) {
        return Role.parse(text).orElseThrow(() -> ApiException.badRequest("The role must be admin, operator or"
                + " viewer; got '" + ApiRequest.shown(text) + "'."));
    }

    static Map<String, Object> shown(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("role", u.role());
        m.put("created", u.created());
        m.put("password_changed", u.passwordChanged());
        return m;
    }

    private static ApiException notHere(ApiRequest r) {
        return ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path())
                + "; the list is at /api/openapi.json.");
    }

    /** The user service's sentence with the status it means: a conflict (taken name, last admin) or bad input. */
    static ApiException refused(UsersException e) {
        String s = e.getMessage() == null ? "The users could not be changed." : e.getMessage();
        if (s.startsWith("There is no user")) {
            return ApiException.notFound(s);
        }
        if (s.startsWith("There is already") || s.contains("only admin")) {
            return ApiException.conflict(s);
        }
        if (s.startsWith("The users file") || s.startsWith("The file")) {
            LOG.warning("A change of users over the API failed: " + s);
            return new ApiException(503, "The recorder cannot read or write its users file right now; its log says"
                    + " why.");
        }
        return ApiException.badRequest(s);
    }
}
