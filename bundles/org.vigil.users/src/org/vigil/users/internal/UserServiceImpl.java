package org.vigil.users.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.platform.DataDirectory;
import org.vigil.api.users.Actor;
import org.vigil.api.users.AuditEntry;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Authenticator;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;
import org.vigil.api.users.UserService;
import org.vigil.api.users.UsersException;

/**
 * The users and the audit log over {@code <data>/users.db}. When the file cannot be used (damaged, from a newer
 * Vigil), the service still runs and every call answers with the reason, so that {@code vigil user list} says it
 * rather than "unknown command"; nothing is written then.
 */
@Component(service = { UserService.class, AuditLog.class, Authenticator.class })
public final class UserServiceImpl implements UserService, AuditLog, Authenticator {
    private static final Logger LOG = System.getLogger(UserServiceImpl.class.getName());
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

    private final UserDatabase db;
    private final String unusable;
    private final Clock clock;
    private final Authentication authentication;
    /** Checked against for unknown names, so that they cost what a wrong password costs. */
    private final String decoy = PasswordHash.hash("decoy-password".toCharArray());

    @Activate
    public UserServiceImpl(@Reference DataDirectory data) {
        this(data.resolve(UserDatabase.FILE_NAME), Clock.systemUTC());
    }

    UserServiceImpl(java.nio.file.Path file, Clock clock) {
        this.clock = clock;
        UserDatabase d = null;
        String why = null;
        try {
            d = UserDatabase.open(file);
        } catch (UsersException e) {
            why = e.getMessage();
            LOG.log(Level.ERROR, why);
        }
        this.db = d;
        this.unusable = why;
        this.authentication = new Authentication(this::verify, clock);
    }

    @Deactivate
    void deactivate() {
        if (db != null) {
            db.close();
        }
    }

    private UserDatabase db() throws UsersException {
        if (db == null) {
            throw new UsersException(unusable);
        }
        return db;
    }

    @Override
    public List<User> list() throws UsersException {
        try {
            return db().list();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Optional<User> find(String name) throws UsersException {
        try {
            return db().find(name);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public User add(String name, Role role, char[] password, Actor actor) throws UsersException {
        try {
            checkName(name);
            checkPassword(password);
            UserDatabase d = db();
            if (d.find(name).isPresent()) {
                throw new UsersException("There is already a user '" + name + "'; choose another name, or change"
                        + " the password with 'vigil user passwd " + name + "'.");
            }
            String hash = PasswordHash.hash(password);
            Instant now = clock.instant();
            d.change(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO users (name, role, hash, created_ms,"
                        + " password_changed_ms) VALUES (?, ?, ?, ?, ?)")) {
                    p.setString(1, name);
                    p.setString(2, role.id());
                    p.setString(3, hash);
                    p.setLong(4, now.toEpochMilli());
                    p.setLong(5, now.toEpochMilli());
                    p.executeUpdate();
                }
            }, audit(now, actor, "user.add", name, "role " + role.id()));
            authentication.usersChanged();
            return new User(name, role, now, now);
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            PasswordHash.clear(password);
        }
    }

    @Override
    public void changePassword(String name, char[] password, Actor actor) throws UsersException {
        try {
            checkPassword(password);
            UserDatabase d = db();
            existing(d, name);
            String hash = PasswordHash.hash(password);
            Instant now = clock.instant();
            d.change(c -> {
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE users SET hash = ?, password_changed_ms = ? WHERE name = ?")) {
                    p.setString(1, hash);
                    p.setLong(2, now.toEpochMilli());
                    p.setString(3, name);
                    p.executeUpdate();
                }
            }, audit(now, actor, "user.passwd", name, ""));
            authentication.usersChanged();
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            PasswordHash.clear(password);
        }
    }

    @Override
    public void changeRole(String name, Role role, Actor actor) throws UsersException {
        try {
            UserDatabase d = db();
            User u = existing(d, name);
            if (u.role() == role) {
                return;
            }
            if (u.role() == Role.ADMIN && d.count(Role.ADMIN) == 1) {
                throw new UsersException("'" + name + "' is the only admin; make another user admin first, so that"
                        + " someone can still manage users and settings.");
            }
            Instant now = clock.instant();
            d.change(c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE users SET role = ? WHERE name = ?")) {
                    p.setString(1, role.id());
                    p.setString(2, name);
                    p.executeUpdate();
                }
            }, audit(now, actor, "user.role", name, u.role().id() + " -> " + role.id()));
            authentication.usersChanged();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void remove(String name, Actor actor) throws UsersException {
        try {
            UserDatabase d = db();
            User u = existing(d, name);
            if (u.role() == Role.ADMIN && d.count(Role.ADMIN) == 1 && d.count() > 1) {
                throw new UsersException("'" + name + "' is the only admin and other users exist; make another user"
                        + " admin first, so that someone can still manage users and settings.");
            }
            Instant now = clock.instant();
            d.change(c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                    p.setString(1, name);
                    p.executeUpdate();
                }
            }, audit(now, actor, "user.remove", name, "was " + u.role().id()));
            authentication.usersChanged();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public Optional<User> verify(String name, char[] password) throws UsersException {
        try {
            UserDatabase d = db();
            Optional<String> hash = name == null ? Optional.empty() : d.hash(name);
            boolean ok = PasswordHash.matches(password == null ? new char[0] : password, hash.orElse(decoy));
            return ok && hash.isPresent() ? d.find(name) : Optional.empty();
        } catch (SQLException e) {
            throw failed(e);
        } finally {
            PasswordHash.clear(password);
        }
    }

    @Override
    public Result authenticate(String user, char[] password, String clientAddress) throws UsersException {
        return authentication.authenticate(user, password, clientAddress);
    }

    @Override
    public boolean anyAdmin() throws UsersException {
        try {
            return db().count(Role.ADMIN) > 0;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public void record(Actor actor, String action, String target, String detail) {
        try {
            db().audit(audit(clock.instant(), actor, action, target, detail));
        } catch (UsersException | SQLException e) {
            LOG.log(Level.ERROR, "The audit log could not record " + action + " of " + target + " by "
                    + actor.name() + ": " + e.getMessage());
        }
    }

    @Override
    public List<AuditEntry> since(Instant since, int limit) throws UsersException {
        try {
            return db().auditSince(since, Math.max(1, Math.min(limit, 100_000)));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static UserDatabase.Audit audit(Instant now, Actor actor, String action, String target, String detail) {
        return new UserDatabase.Audit(now, actor.name(), actor.from(), action, target, detail);
    }

    private static User existing(UserDatabase d, String name) throws SQLException, UsersException {
        checkName(name);
        return d.find(name).orElseThrow(() -> new UsersException("There is no user '" + name + "'; 'vigil user"
                + " list' shows the users."));
    }

    static void checkName(String name) throws UsersException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UsersException("A user name is 1 to 32 characters of a-z, 0-9, '.', '_' and '-', starting with"
                    + " a letter or digit.");
        }
    }

    static void checkPassword(char[] password) throws UsersException {
        if (password == null || password.length < PasswordHash.MIN_PASSWORD) {
            throw new UsersException("A password needs at least " + PasswordHash.MIN_PASSWORD + " characters; nothing"
                    + " was changed.");
        }
        if (password.length > PasswordHash.MAX_PASSWORD) {
            throw new UsersException("A password may have at most " + PasswordHash.MAX_PASSWORD + " characters;"
                    + " nothing was changed.");
        }
    }

    private UsersException failed(SQLException e) {
        return new UsersException("The users file " + (db == null ? "" : db.file() + " ") + "could not be read or"
                + " written (" + e.getMessage() + "); nothing was changed.", e);
    }
}
