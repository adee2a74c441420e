package org.vigil.config.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteUpdateListener;
import org.vigil.api.platform.Registration;

/**
 * The configuration database {@code config.db}: one SQLite file, owner-only, WAL journal, {@code synchronous=FULL}
 * (a committed change survives a crash or power loss), foreign keys on. It holds Configuration Admin's
 * configurations, one row per configuration and one per property, and writes only the rows whose value changed.
 * <p>
 * Good copies: after every committed change (and at opening) an intact copy is written with {@code VACUUM INTO} to
 * {@code config.db.copies/} beside the file; the newest few are kept ({@link GoodCopies}).
 * <p>
 * Opening it: a file that is not a database or fails {@code PRAGMA integrity_check} is moved aside as
 * {@code config.db.damaged-<time>} and the newest good copy that is intact is put in its place (at most the last
 * change is lost), else a fresh database is created; either way {@link #incident()} says what happened. An older schema is migrated (after a copy of the
 * file is saved as {@code config.db.before-schema-<n>}); a newer schema than this code knows is refused and the file
 * is left untouched. Every method is thread-safe; {@link #close()} is idempotent and never throws.
 */
public final class ConfigDatabase implements AutoCloseable {
    public static final String FILE_NAME = "config.db";
    /** The folder beside the file that holds its recent good copies. */
    public static final String COPIES = GoodCopies.FOLDER;
    /** {@code PRAGMA application_id} of a Vigil configuration database ("VGCN"). */
    static final int APPLICATION_ID = 0x5647434E;
    private static final Logger LOG = System.getLogger(ConfigDatabase.class.getName());
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** A configuration as stored: its PID, factory PID (may be null) and properties by name. */
    public record StoredConfiguration(String pid, String factoryPid, Map<String, StoredValue> properties) {
    }

    /** One row written, as SQLite reports it (for tests and diagnostics). */
    public record RowWrite(String operation, String table, long rowId) {
    }

    private final Path file;
    private final Clock clock;
    private final SQLiteConnection connection;
    private final Optional<Path> damagedCopy;
    private final Optional<String> incident;
    private final int openedAtVersion;
    private long copies;
    private boolean copyFailureLogged;
    private long rowsWritten;
    private long transactions;
    private boolean closed;

    private ConfigDatabase(Path file, Clock clock, SQLiteConnection connection, Optional<Path> damagedCopy,
            Optional<String> incident, int openedAtVersion) {
        this.file = file;
        this.clock = clock;
        this.connection = connection;
        this.damagedCopy = damagedCopy;
        this.incident = incident;
        this.openedAtVersion = openedAtVersion;
    }

    /** Opens (creating, repairing or migrating as needed) the database at {@code file}. */
    public static ConfigDatabase open(Path file) throws ConfigDatabaseException {
        return open(file, Migrations.LATEST, Clock.systemUTC());
    }

    /**
     * Opens the database migrated to {@code targetVersion} (tests build each earlier schema with it).
     *
     * @throws ConfigDatabaseException with one sentence when the file cannot be used; the file is then unchanged
     */
    public static ConfigDatabase open(Path file, int targetVersion, Clock clock) throws ConfigDatabaseException {
        Path target = file.toAbsolutePath().normalize();
        ensureOwnerOnlyFile(target);
        Optional<Path> saved = Optional.empty();
        Optional<String> incident = Optional.empty();
        SQLiteConnection c;
        try {
            c = connect(target, targetVersion);
        } catch (Damaged d) {
            Path copy = moveAside(target, clock);
            saved = Optional.of(copy);
            Optional<GoodCopies.Restored> restored = GoodCopies.restoreNewest(target, t -> connect(t, targetVersion));
            if (restored.isPresent()) {
                c = restored.get().connection();
                incident = Optional.of("The settings database " + target + " was damaged (" + d.getMessage()
                        + "); it was saved as " + copy + " and the settings as of " + restored.get().when()
                        + " UTC were restored from " + restored.get().from() + ". A change made after that time may"
                        + " be lost: check the cameras and settings.");
                LOG.log(Level.WARNING, incident.get());
            } else {
                incident = Optional.of("The settings database " + target + " was damaged (" + d.getMessage()
                        + "); it was saved as " + copy + " and, with no good copy of it to restore, Vigil started"
                        + " with empty settings: add the cameras again or import a saved setup with 'vigil config"
                        + " import FILE'.");
                LOG.log(Level.WARNING, incident.get());
                ensureOwnerOnlyFile(target);
                try {
                    c = connect(target, targetVersion);
                } catch (Damaged again) {
                    throw new ConfigDatabaseException("A new configuration database could not be created at "
                            + target + " (" + again.getMessage() + "); check the disk.");
                }
            }
        }
        try {
            int from = migrate(c, target, targetVersion, clock);
            ConfigDatabase db = new ConfigDatabase(target, clock, c, saved, incident, from);
            if (!GoodCopies.isCurrent(target)) {
                db.keepCopy(); // a file from before copies were kept, or changed since its newest copy
            }
            return db;
        } catch (ConfigDatabaseException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Writes a good copy of the database as committed now (see {@link GoodCopies}); logs a failure once. */
    private void keepCopy() {
        try {
            GoodCopies.write(connection, file, copies++);
        } catch (SQLException | IOException e) {
            if (!copyFailureLogged) {
                copyFailureLogged = true;
                LOG.log(Level.WARNING, "A good copy of the settings could not be written to {0} ({1}); settings are"
                        + " still saved, but a damaged {2} could not be restored from a copy.",
                        file.resolveSibling(COPIES), e.getMessage(), file.getFileName());
            }
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** What happened to a damaged file found at opening: where it went and what was restored, as one sentence. */
    public Optional<String> incident() {
        return incident;
    }

    /** Where a damaged file found at opening was saved. */
    public Optional<Path> damagedCopy() {
        return damagedCopy;
    }

    /** The schema version the file had when it was opened (0 for a new file). */
    public int openedAtVersion() {
        return openedAtVersion;
    }

    /** The schema version of the open database. */
    public synchronized int schemaVersion() throws ConfigDatabaseException {
        ensureOpen();
        try {
            return intPragma(connection, "user_version");
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Rows inserted, updated or deleted through this object since it was opened (migrations excluded). */
    public synchronized long rowsWritten() {
        return rowsWritten;
    }

    /** Write transactions committed through this object since it was opened. */
    public synchronized long transactions() {
        return transactions;
    }

    /** SQLite's own count of rows changed on this connection ({@code total_changes()}), migrations included. */
    public synchronized long totalChanges() throws ConfigDatabaseException {
        ensureOpen();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT total_changes()")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Tells {@code listener} about every row SQLite writes (its update hook); closing the handle removes it. */
    public synchronized Registration onRowWritten(Consumer<RowWrite> listener) {
        SQLiteUpdateListener l = (type, database, table, rowId) -> listener.accept(
                new RowWrite(type.name(), table, rowId));
        connection.addUpdateListener(l);
        return () -> {
            synchronized (ConfigDatabase.this) {
                connection.removeUpdateListener(l);
            }
        };
    }

    public synchronized boolean exists(String pid) throws ConfigDatabaseException {
        ensureOpen();
        try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM configuration WHERE pid = ?")) {
            s.setString(1, pid);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    public synchronized Optional<StoredConfiguration> load(String pid) throws ConfigDatabaseException {
        ensureOpen();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.pid, c.factory_pid, p.name, p.type, p.value"
                + " FROM configuration c LEFT JOIN property p ON p.pid = c.pid WHERE c.pid = ?")) {
            s.setString(1, pid);
            return read(s).values().stream().findFirst();
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Every configuration, by PID. */
    public synchronized Map<String, StoredConfiguration> loadAll() throws ConfigDatabaseException {
        ensureOpen();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.pid, c.factory_pid, p.name, p.type, p.value"
                + " FROM configuration c LEFT JOIN property p ON p.pid = c.pid ORDER BY c.pid, p.name")) {
            return read(s);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Stores a configuration, writing only the rows that differ from what is stored: a new property is inserted, a
     * changed one updated, a removed one deleted, and the configuration's row gets the time of the change. Nothing is
     * written when nothing changed. All or nothing: on failure the stored configuration is unchanged.
     *
     * @return the number of rows written
     */
    public synchronized int store(String pid, String factoryPid, Map<String, StoredValue> properties)
            throws ConfigDatabaseException {
        ensureOpen();
        return write(() -> storeInTransaction(pid, factoryPid, properties));
    }

    /** The work of one write transaction; returns the rows it wrote. */
    private interface Work {
        int run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction ({@code BEGIN IMMEDIATE}), committed only when it wrote something. On any
     * failure the transaction is rolled back (SQLite may already have done so, after a full disk) and nothing of it
     * remains.
     */
    private int write(Work work) throws ConfigDatabaseException {
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            int rows;
            try {
                rows = work.run();
                try (Statement s = connection.createStatement()) {
                    s.execute(rows > 0 ? "COMMIT" : "ROLLBACK");
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
            if (rows > 0) {
                transactions++;
                rowsWritten += rows;
                keepCopy();
            }
            return rows;
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    private int storeInTransaction(String pid, String factoryPid, Map<String, StoredValue> properties)
            throws SQLException {
        boolean exists = false;
        String storedFactory = null;
        try (PreparedStatement s = connection.prepareStatement("SELECT factory_pid FROM configuration WHERE pid = ?")) {
            s.setString(1, pid);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    exists = true;
                    storedFactory = r.getString(1);
                }
            }
        }
        Map<String, StoredValue> old = new TreeMap<>();
        if (exists) {
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT name, type, value FROM property WHERE pid = ?")) {
                s.setString(1, pid);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        old.put(r.getString(1), new StoredValue(r.getString(2), r.getString(3)));
                    }
                }
            }
        }
        int rows = 0;
        String now = clock.instant().toString();
        if (!exists) {
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT INTO configuration (pid, factory_pid, changed_at) VALUES (?, ?, ?)")) {
                s.setString(1, pid);
                s.setString(2, factoryPid);
                s.setString(3, now);
                rows += s.executeUpdate();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO property (pid, name, type, value) VALUES (?, ?, ?, ?)");
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE property SET type = ?, value = ? WHERE pid = ? AND name = ?");
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM property WHERE pid = ? AND name = ?")) {
            for (Map.Entry<String, StoredValue> e : properties.entrySet()) {
                StoredValue before = old.get(e.getKey());
                StoredValue after = e.getValue();
                if (before == null) {
                    insert.setString(1, pid);
                    insert.setString(2, e.getKey());
                    insert.setString(3, after.type());
                    insert.setString(4, after.value());
                    rows += insert.executeUpdate();
                } else if (!before.equals(after)) {
                    update.setString(1, after.type());
                    update.setString(2, after.value());
                    update.setString(3, pid);
                    update.setString(4, e.getKey());
                    rows += update.executeUpdate();
                }
            }
            for (String name : old.keySet()) {
                if (!properties.containsKey(name)) {
                    delete.setString(1, pid);
                    delete.setString(2, name);
                    rows += delete.executeUpdate();
                }
            }
        }
        boolean factoryChanged = exists && !Objects.equals(storedFactory, factoryPid);
        if (exists && (rows > 0 || factoryChanged)) {
            try (PreparedStatement s = connection.prepareStatement(
                    "UPDATE configuration SET factory_pid = ?, changed_at = ? WHERE pid = ?")) {
                s.setString(1, factoryPid);
                s.setString(2, now);
                s.setString(3, pid);
                rows += s.executeUpdate();
            }
        }
        return rows;
    }

    /**
     * Deletes a configuration and its properties.
     *
     * @return the number of rows deleted (0 when there was none)
     */
    public synchronized int delete(String pid) throws ConfigDatabaseException {
        ensureOpen();
        return write(() -> {
            try (PreparedStatement p = connection.prepareStatement("DELETE FROM property WHERE pid = ?");
                    PreparedStatement c = connection.prepareStatement("DELETE FROM configuration WHERE pid = ?")) {
                p.setString(1, pid);
                int rows = p.executeUpdate();
                c.setString(1, pid);
                return rows + c.executeUpdate();
            }
        });
    }

    /** Keeps a camera password under {@code ref} (a new ref per password; see {@code CameraSecrets}). */
    public synchronized void putSecret(String ref, String camera, String password) throws ConfigDatabaseException {
        ensureOpen();
        write(() -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "INSERT OR REPLACE INTO camera_secret (ref, camera, password) VALUES (?, ?, ?)")) {
                s.setString(1, ref);
                s.setString(2, camera);
                s.setString(3, password);
                return s.executeUpdate();
            }
        });
    }

    /** The password kept for {@code camera} under {@code ref}, if any. */
    public synchronized Optional<String> secret(String camera, String ref) throws ConfigDatabaseException {
        ensureOpen();
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT password FROM camera_secret WHERE ref = ? AND camera = ?")) {
            s.setString(1, ref);
            s.setString(2, camera);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** The refs of every kept password. */
    public synchronized Set<String> secretRefs() throws ConfigDatabaseException {
        ensureOpen();
        Set<String> refs = new java.util.TreeSet<>();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery("SELECT ref FROM camera_secret")) {
            while (r.next()) {
                refs.add(r.getString(1));
            }
            return refs;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Forgets the passwords kept under {@code refs}; returns how many were forgotten. */
    public synchronized int deleteSecrets(Set<String> refs) throws ConfigDatabaseException {
        ensureOpen();
        if (refs.isEmpty()) {
            return 0;
        }
        return write(() -> {
            int rows = 0;
            try (PreparedStatement s = connection.prepareStatement("DELETE FROM camera_secret WHERE ref = ?")) {
                for (String ref : refs) {
                    s.setString(1, ref);
                    rows += s.executeUpdate();
                }
            }
            return rows;
        });
    }

    /** Runs one statement on the connection (diagnostics; tests simulate a full or read-only disk with it). */
    public synchronized void execute(String sql) throws ConfigDatabaseException {
        ensureOpen();
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw failure("write", e);
        }
    }

    /** The first column of the first row of a query, as text (diagnostics: pragmas, counts). */
    public synchronized String queryText(String sql) throws ConfigDatabaseException {
        ensureOpen();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Closes the database; later calls fail with a clear message. Idempotent, never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(connection);
        LOG.log(Level.DEBUG, "Closed the configuration database {0} ({1} rows written in {2} transactions)", file,
                rowsWritten, transactions);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    private void ensureOpen() throws ConfigDatabaseException {
        if (closed) {
            throw new ConfigDatabaseException("The configuration database " + file
                    + " is closed (Vigil is stopping or the configuration bundle was stopped); nothing was changed.");
        }
    }

    private static Map<String, StoredConfiguration> read(PreparedStatement s) throws SQLException {
        Map<String, StoredConfiguration> result = new LinkedHashMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String pid = r.getString(1);
                StoredConfiguration c = result.computeIfAbsent(pid,
                        k -> new StoredConfiguration(k, null, new LinkedHashMap<>()));
                if (c.factoryPid() == null && r.getString(2) != null) {
                    c = new StoredConfiguration(pid, r.getString(2), c.properties());
                    result.put(pid, c);
                }
                String name = r.getString(3);
                if (name != null) {
                    c.properties().put(name, new StoredValue(r.getString(4), r.getString(5)));
                }
            }
        }
        return result;
    }

    /** Ends a failed transaction; SQLite has already ended it after some errors (full disk), which is fine. */
    private void rollbackQuietly() {
        rollbackQuietly(connection);
    }

    private static void rollbackQuietly(SQLiteConnection c) {
        try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "Rollback: {0}", e.getMessage());
        }
    }

    /** Turns an SQLite failure into one sentence for a user, saying that nothing was changed. */
    private ConfigDatabaseException failure(String action, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : SQLiteErrorCode.UNKNOWN_ERROR;
        int primary = code.code & 0xff;
        String what = action.equals("write") ? "The settings could not be saved" : "The settings could not be read";
        String unchanged = action.equals("write") ? "; the previous settings are unchanged." : ".";
        String message;
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
            message = what + ": the disk holding " + file + " is full. Free some space and try again" + unchanged;
        } else if (primary == SQLiteErrorCode.SQLITE_READONLY.code) {
            message = what + ": " + file + " cannot be written (read-only file or disk). Check that the disk is "
                    + "mounted read-write and the file belongs to this user" + unchanged;
        } else if (primary == SQLiteErrorCode.SQLITE_IOERR.code) {
            message = what + ": the disk reported an error on " + file + " (" + e.getMessage()
                    + "). Check the disk" + unchanged;
        } else if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
            message = what + ": " + file + " is damaged (" + e.getMessage() + "). Restart Vigil to save it aside and"
                    + " start a new one" + unchanged;
        } else {
            message = what + " (" + file + ": " + e.getMessage() + ")" + unchanged;
        }
        return new ConfigDatabaseException(message, e);
    }

    // ---- opening ---------------------------------------------------------------------------------------------

    /** The file is not a usable SQLite database (it is moved aside and replaced). */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;

        Damaged(String message) {
            super(message);
        }
    }

    /** Creates the file owner-only when missing (SQLite gives its -wal and -shm files the same mode). */
    private static void ensureOwnerOnlyFile(Path file) throws ConfigDatabaseException {
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException e) {
                for (Path p : List.of(file, sibling(file, "-wal"), sibling(file, "-shm"))) {
                    if (Files.exists(p) && !Files.getPosixFilePermissions(p).equals(OWNER_ONLY)) {
                        Files.setPosixFilePermissions(p, OWNER_ONLY);
                        LOG.log(Level.INFO, "Made {0} readable by its owner only: it holds camera passwords.", p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigDatabaseException("The configuration database " + file + " cannot be created or "
                    + "protected (" + e.getMessage() + "); check that the data directory is writable.", e);
        }
    }

    private static SQLiteConnection connect(Path file, int targetVersion) throws Damaged, ConfigDatabaseException {
        SQLiteConfig config = new SQLiteConfig();
        SQLiteConnection c;
        try {
            c = (SQLiteConnection) config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw openFailure(file, e);
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
            }
            // the first read of the file: a file that is not a database fails here
            int version = intPragma(c, "user_version");
            int applicationId = intPragma(c, "application_id");
            if (version > targetVersion) {
                throw new ConfigDatabaseException("The configuration database " + file + " has schema version "
                        + version + ", newer than this Vigil understands (" + targetVersion + "): it was written by"
                        + " a newer Vigil. Run that version, or move the file away to start with empty settings;"
                        + " the file was left unchanged.");
            }
            if (applicationId != 0 && applicationId != APPLICATION_ID) {
                throw new ConfigDatabaseException("The file " + file + " is an SQLite database of another program"
                        + " (application id " + applicationId + "), not Vigil's configuration; move it away. It was"
                        + " left unchanged.");
            }
            if (version == 0 && hasTables(c)) {
                throw new ConfigDatabaseException("The file " + file + " is an SQLite database but not a Vigil"
                        + " configuration database; move it away. It was left unchanged.");
            }
            String check = integrityCheck(c);
            if (!check.equals("ok")) {
                throw new Damaged("integrity check: " + check);
            }
            String mode;
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA journal_mode = WAL")) {
                mode = r.next() ? r.getString(1) : "";
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                LOG.log(Level.WARNING, "The configuration database {0} could not use write-ahead logging (journal"
                        + " mode {1}); changes are still saved safely, more slowly.", file, mode);
            }
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous = FULL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            int primary = e instanceof SQLiteException s ? s.getResultCode().code & 0xff : -1;
            if (primary == SQLiteErrorCode.SQLITE_NOTADB.code || primary == SQLiteErrorCode.SQLITE_CORRUPT.code) {
                throw new Damaged(e.getMessage());
            }
            throw openFailure(file, e);
        } catch (ConfigDatabaseException | Damaged | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static ConfigDatabaseException openFailure(Path file, SQLException e) {
        int primary = e instanceof SQLiteException s ? s.getResultCode().code & 0xff : -1;
        String hint = primary == SQLiteErrorCode.SQLITE_READONLY.code
                ? "the file or its disk is read-only"
                : primary == SQLiteErrorCode.SQLITE_FULL.code ? "the disk is full"
                        : primary == SQLiteErrorCode.SQLITE_CANTOPEN.code ? "it cannot be opened: check its owner and"
                                + " permissions" : e.getMessage();
        return new ConfigDatabaseException("The configuration database " + file + " cannot be opened (" + hint
                + "); Vigil runs without saved settings until this is fixed.", e);
    }

    /** "ok", or the first problems SQLite found, shortened to one line for the log. */
    private static String integrityCheck(SQLiteConnection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA integrity_check(3)")) {
            while (r.next()) {
                for (String line : r.getString(1).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("***") && problems.size() < 3) {
                        problems.add(line.strip());
                    }
                }
            }
        }
        if (problems.isEmpty()) {
            return "no answer";
        }
        if (problems.size() == 1 && problems.get(0).equals("ok")) {
            return "ok";
        }
        String text = String.join("; ", problems);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static int intPragma(SQLiteConnection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** Moves a damaged file (and its -wal and -shm files) aside; returns where the main file went. */
    private static Path moveAside(Path file, Clock clock) throws ConfigDatabaseException {
        String stamp = STAMP.format(Instant.now(clock));
        Path target = sibling(file, ".damaged-" + stamp);
        for (int n = 2; Files.exists(target); n++) {
            target = sibling(file, ".damaged-" + stamp + "-" + n);
        }
        try {
            move(file, target);
            for (String suffix : List.of("-wal", "-shm")) {
                Path companion = sibling(file, suffix);
                if (Files.exists(companion)) {
                    move(companion, sibling(target, suffix));
                }
            }
            return target;
        } catch (IOException e) {
            throw new ConfigDatabaseException("The configuration database " + file + " is damaged and could not be"
                    + " moved aside (" + e.getMessage() + "); move it away by hand and start Vigil again.", e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static int migrate(SQLiteConnection c, Path file, int target, Clock clock) throws ConfigDatabaseException {
        int version;
        try {
            version = intPragma(c, "user_version");
        } catch (SQLException e) {
            throw new ConfigDatabaseException("The configuration database " + file + " cannot be read ("
                    + e.getMessage() + ").", e);
        }
        if (version >= target) {
            return version;
        }
        if (version > 0) {
            saveCopyBeforeMigration(c, file, target, clock);
        }
        for (Migrations.Migration m : Migrations.between(version, target)) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : m.statements()) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + m.version());
                    if (m.version() >= 2) {
                        try (PreparedStatement h = c.prepareStatement(
                                "INSERT INTO schema_history (version, applied_at, description) VALUES (?, ?, ?)")) {
                            h.setInt(1, m.version());
                            h.setString(2, clock.instant().toString());
                            h.setString(3, m.description());
                            h.executeUpdate();
                        }
                    }
                    s.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException | RuntimeException e) {
                throw new ConfigDatabaseException("The configuration database " + file + " could not be brought to"
                        + " schema version " + m.version() + " (" + e.getMessage() + "); it was left at version "
                        + (m.version() - 1) + ".", e);
            }
            LOG.log(version == 0 ? Level.DEBUG : Level.INFO, "Configuration database {0}: schema version {1} ({2}).",
                    file, m.version(), m.description());
        }
        return version;
    }

    private static boolean hasTables(SQLiteConnection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            return r.next() && r.getInt(1) > 0;
        }
    }

    /** Keeps a copy of the file as it was before a migration: {@code config.db.before-schema-<n>}. */
    private static void saveCopyBeforeMigration(SQLiteConnection c, Path file, int target, Clock clock)
            throws ConfigDatabaseException {
        Path copy = sibling(file, ".before-schema-" + target);
        if (Files.exists(copy)) {
            copy = sibling(file, ".before-schema-" + target + "-" + STAMP.format(Instant.now(clock)));
        }
        try {
            Files.createFile(copy, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try (PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
                s.setString(1, copy.toString());
                s.execute();
            }
            LOG.log(Level.INFO, "Saved a copy of the configuration database as {0} before updating its schema.", copy);
        } catch (IOException | SQLException e) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // nothing more to do: the migration is refused below
            }
            throw new ConfigDatabaseException("The configuration database " + file + " needs a schema update, but a"
                    + " copy could not be saved first (" + e.getMessage() + "); free some disk space and start again."
                    + " The file was left unchanged.", e);
        }
    }

    private static void closeQuietly(SQLiteConnection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Closing the configuration database failed: {0}", e.getMessage());
        }
    }
}
