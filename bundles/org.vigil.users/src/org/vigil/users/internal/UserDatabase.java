package org.vigil.users.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.sqlite.SQLiteConfig;
import org.vigil.api.users.AuditEntry;
import org.vigil.api.users.Role;
import org.vigil.api.users.User;
import org.vigil.api.users.UsersException;

/**
 * {@code <data>/users.db}: the users with their password hashes, and the audit log. A file of its own, apart from
 * {@code config.db}, so that restoring settings never brings back a deleted user or an old password; owner-only
 * (0600). Its schema goes through the ordered {@link #MIGRATIONS}; {@code PRAGMA user_version} is the number applied.
 * A damaged file, or one from a newer Vigil, is never replaced: it is left as it is and every call says why.
 */
final class UserDatabase implements AutoCloseable {
    static final String FILE_NAME = "users.db";
    /** SQLite's application id for Vigil's users file ("VgUs"). */
    static final int APPLICATION_ID = 0x56675573;

    /** Step n (1-based) takes the schema from version n-1 to n. */
    static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE users (
              name TEXT PRIMARY KEY,
              role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
              hash TEXT NOT NULL,
              created_ms INTEGER NOT NULL,
              password_changed_ms INTEGER NOT NULL
            );
            CREATE TABLE audit (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              time_ms INTEGER NOT NULL,
              actor TEXT NOT NULL,
              origin TEXT NOT NULL,
              action TEXT NOT NULL,
              target TEXT NOT NULL,
              detail TEXT NOT NULL
            );
            CREATE INDEX audit_time ON audit (time_ms);
            """);

    private final Path file;
    private final Connection c;

    private UserDatabase(Path file, Connection c) {
        this.file = file;
        this.c = c;
    }

    static UserDatabase open(Path file) throws UsersException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // an existing file is used as it is
        } catch (IOException e) {
            throw new UsersException("The users file " + file + " cannot be created (" + e.getMessage() + "); check"
                    + " that the data directory is writable.");
        }
        Connection c;
        try {
            c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new UsersException("The users file " + file + " cannot be opened (" + e.getMessage() + ").");
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
            }
            int version = intPragma(c, "user_version");
            int app = intPragma(c, "application_id");
            if (version > MIGRATIONS.size()) {
                throw new UsersException("The users file " + file + " has schema version " + version + ", newer than"
                        + " this Vigil understands (" + MIGRATIONS.size() + "): run the Vigil that wrote it. The file"
                        + " was left unchanged.");
            }
            if ((app != 0 && app != APPLICATION_ID) || (version == 0 && hasTables(c))) {
                throw new UsersException("The file " + file + " is not Vigil's users file; move it away. It was left"
                        + " unchanged.");
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
                String check = r.next() ? r.getString(1) : "";
                if (!"ok".equals(check)) {
                    throw new UsersException("The users file " + file + " is damaged (" + check + "); restore it from"
                            + " a backup, or move it away to start without users. It was left unchanged.");
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous = FULL");
            }
            migrate(c, version);
            return new UserDatabase(file, c);
        } catch (SQLException e) {
            close(c);
            throw new UsersException("The users file " + file + " cannot be read (" + e.getMessage() + "); restore"
                    + " it from a backup, or move it away to start without users. It was left unchanged.");
        } catch (UsersException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    private static void migrate(Connection c, int from) throws SQLException {
        for (int v = from; v < MIGRATIONS.size(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : MIGRATIONS.get(v).split(";")) {
                    if (!sql.isBlank()) {
                        s.execute(sql);
                    }
                }
                s.execute("PRAGMA application_id = " + APPLICATION_ID);
                s.execute("PRAGMA user_version = " + (v + 1));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    Path file() {
        return file;
    }

    int schemaVersion() throws SQLException {
        return intPragma(c, "user_version");
    }

    synchronized List<User> list() throws SQLException {
        List<User> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT name, role, created_ms, password_changed_ms FROM users ORDER BY name")) {
            while (r.next()) {
                out.add(user(r));
            }
        }
        return out;
    }

    synchronized Optional<User> find(String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, role, created_ms, password_changed_ms FROM users WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(user(r)) : Optional.empty();
            }
        }
    }

    synchronized Optional<String> hash(String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT hash FROM users WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    synchronized int count(Role role) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM users WHERE role = ?")) {
            p.setString(1, role.id());
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        }
    }

    synchronized int count() throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM users")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** Runs {@code change} and its audit entry in one transaction: no change without its entry. */
    synchronized void change(SqlWork change, Audit audit) throws SQLException {
        c.setAutoCommit(false);
        try {
            change.run(c);
            insertAudit(audit);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    synchronized void audit(Audit a) throws SQLException {
        insertAudit(a);
    }

    private void insertAudit(Audit a) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit (time_ms, actor, origin, action, target,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, a.time().toEpochMilli());
            p.setString(2, a.actor());
            p.setString(3, a.from());
            p.setString(4, a.action());
            p.setString(5, a.target());
            p.setString(6, a.detail());
            p.executeUpdate();
        }
    }

    synchronized List<AuditEntry> auditSince(Instant since, int limit) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, time_ms, actor, origin, action, target, detail"
                + " FROM audit WHERE time_ms >= ? ORDER BY time_ms, id LIMIT ?")) {
            p.setLong(1, since.toEpochMilli());
            p.setInt(2, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new AuditEntry(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3),
                            r.getString(4), r.getString(5), r.getString(6), r.getString(7)));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        close(c);
    }

    interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    record Audit(Instant time, String actor, String from, String action, String target, String detail) {
    }

    private static User user(ResultSet r) throws SQLException {
        return new User(r.getString(1), Role.parse(r.getString(2)).orElse(Role.VIEWER),
                Instant.ofEpochMilli(r.getLong(3)), Instant.ofEpochMilli(r.getLong(4)));
    }

    private static int intPragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static boolean hasTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing more to do
        }
    }
}
