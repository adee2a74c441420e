package org.vigil.storage.internal.catalog;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.vigil.api.camera.Codec;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SegmentState;

/**
 * The recordings catalog in SQLite ({@code catalog.db}, WAL, {@code synchronous=FULL}): segments, continuous runs
 * (coverage intervals per camera, for timelines), a per-day summary kept by triggers, the garbage table of the
 * deletion protocol, retention limits and a few settings. One writer connection behind a lock, a small pool of
 * read-only connections for queries (WAL lets them read while the writer writes).
 */
public final class CatalogStore implements AutoCloseable {
    /** Segments closer than this are one continuous run; shorter gaps are not gaps. */
    public static final long CONTIGUITY_MS = 1000;
    public static final String FILE_NAME = "catalog.db";
    static final int SCHEMA_VERSION = 1;
    private static final Logger LOG = System.getLogger(CatalogStore.class.getName());
    private static final int READERS = 3;
    private static final String COLUMNS = "id, camera, start_ms, end_ms, path, bytes, frames, codec, state, protected";
    private static final long FAR_PAST = -(1L << 52);
    private static final long FAR_FUTURE = 1L << 52;

    private final Path file;
    private final ZoneId zone;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, Integer> cameraKeys = new ConcurrentHashMap<>();
    private final Map<Integer, String> cameraNames = new ConcurrentHashMap<>();
    private volatile long maxDurationMs;
    private volatile Path root;
    private volatile boolean closed;

    private CatalogStore(Path file, ZoneId zone, Path root, Connection writer) {
        this.file = file;
        this.zone = zone;
        this.root = root;
        this.writer = writer;
    }

    /**
     * Opens (creating or migrating) the catalog. A file SQLite cannot read is moved aside as
     * {@code catalog.db.damaged-<time>} and a new catalog is started: the check at start rebuilds it from the disk.
     */
    public static CatalogStore open(Path file, ZoneId zone, Path root) throws SQLException, IOException {
        try {
            return openOnce(file, zone, root);
        } catch (SQLiteException e) {
            SQLiteErrorCode code = e.getResultCode();
            if (code != SQLiteErrorCode.SQLITE_CORRUPT && code != SQLiteErrorCode.SQLITE_NOTADB) {
                throw e;
            }
            Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
            LOG.log(Level.ERROR, "The recordings catalog {0} is damaged ({1}); it was moved to {2} and a new one is "
                    + "built from the recordings on disk.", file, e.getMessage(), aside);
            Files.move(file, aside);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
            return openOnce(file, zone, root);
        }
    }

    private static CatalogStore openOnce(Path file, ZoneId zone, Path root) throws SQLException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-16_000);
        Connection w = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        CatalogStore store = new CatalogStore(file, zone, root, w);
        try {
            store.migrate();
            store.loadCameras();
            store.maxDurationMs = queryLong(w, "SELECT coalesce(max(end_ms - start_ms), 0) FROM segment", 0);
            store.checkZone();
            for (int i = 0; i < READERS; i++) {
                SQLiteConfig rc = new SQLiteConfig();
                rc.setReadOnly(true);
                rc.setBusyTimeout(10_000);
                rc.setCacheSize(-16_000);
                rc.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(256L << 20));
                Connection r = rc.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
                store.allReaders.add(r);
                store.readers.add(r);
            }
            return store;
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public ZoneId zone() {
        return zone;
    }

    public void root(Path newRoot) {
        this.root = newRoot;
    }

    public Path root() {
        return root;
    }

    public long maxDurationMs() {
        return maxDurationMs;
    }

    // ---------------------------------------------------------------- schema

    private void migrate() throws SQLException {
        int version = (int) queryLong(writer, "PRAGMA user_version", 0);
        if (version > SCHEMA_VERSION) {
            throw new SQLException("The recordings catalog " + file + " was written by a newer Vigil (schema "
                    + version + "); install that version again or move the file away.");
        }
        if (version == SCHEMA_VERSION) {
            return;
        }
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
                s.executeUpdate("CREATE TABLE camera (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
                s.executeUpdate("CREATE TABLE segment ("
                        + " id INTEGER PRIMARY KEY,"
                        + " camera INTEGER NOT NULL REFERENCES camera(id),"
                        + " start_ms INTEGER NOT NULL,"
                        + " end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),"
                        + " day INTEGER NOT NULL,"
                        + " path TEXT NOT NULL UNIQUE,"
                        + " bytes INTEGER NOT NULL,"
                        + " frames INTEGER NOT NULL,"
                        + " codec TEXT NOT NULL,"
                        + " state INTEGER NOT NULL,"
                        + " protected INTEGER NOT NULL DEFAULT 0)");
                s.executeUpdate("CREATE INDEX segment_camera_start ON segment(camera, start_ms)");
                s.executeUpdate("CREATE INDEX segment_start ON segment(start_ms)");
                s.executeUpdate("CREATE INDEX segment_protected ON segment(camera, start_ms) WHERE protected = 1");
                s.executeUpdate("CREATE TABLE run (id INTEGER PRIMARY KEY, camera INTEGER NOT NULL,"
                        + " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL)");
                s.executeUpdate("CREATE INDEX run_camera_end ON run(camera, end_ms)");
                s.executeUpdate("CREATE TABLE day_summary (camera INTEGER NOT NULL, day INTEGER NOT NULL,"
                        + " segments INTEGER NOT NULL, bytes INTEGER NOT NULL, duration_ms INTEGER NOT NULL,"
                        + " PRIMARY KEY (camera, day)) WITHOUT ROWID");
                s.executeUpdate("CREATE TABLE garbage (path TEXT PRIMARY KEY, bytes INTEGER NOT NULL,"
                        + " since_ms INTEGER NOT NULL) WITHOUT ROWID");
                s.executeUpdate("CREATE TABLE retention_limit (camera TEXT PRIMARY KEY, max_age_s INTEGER,"
                        + " max_bytes INTEGER) WITHOUT ROWID");
                s.executeUpdate("CREATE TRIGGER segment_added AFTER INSERT ON segment BEGIN"
                        + " INSERT INTO day_summary (camera, day, segments, bytes, duration_ms)"
                        + " VALUES (NEW.camera, NEW.day, 1, NEW.bytes, NEW.end_ms - NEW.start_ms)"
                        + " ON CONFLICT (camera, day) DO UPDATE SET segments = segments + 1,"
                        + " bytes = bytes + excluded.bytes, duration_ms = duration_ms + excluded.duration_ms;"
                        + " END");
                s.executeUpdate("CREATE TRIGGER segment_removed AFTER DELETE ON segment BEGIN"
                        + " UPDATE day_summary SET segments = segments - 1, bytes = bytes - OLD.bytes,"
                        + " duration_ms = duration_ms - (OLD.end_ms - OLD.start_ms)"
                        + " WHERE camera = OLD.camera AND day = OLD.day;"
                        + " DELETE FROM day_summary WHERE camera = OLD.camera AND day = OLD.day AND segments <= 0;"
                        + " END");
                s.executeUpdate("CREATE TRIGGER segment_changed AFTER UPDATE OF start_ms, end_ms, day, bytes ON segment"
                        + " BEGIN"
                        + " UPDATE day_summary SET segments = segments - 1, bytes = bytes - OLD.bytes,"
                        + " duration_ms = duration_ms - (OLD.end_ms - OLD.start_ms)"
                        + " WHERE camera = OLD.camera AND day = OLD.day;"
                        + " DELETE FROM day_summary WHERE camera = OLD.camera AND day = OLD.day AND segments <= 0;"
                        + " INSERT INTO day_summary (camera, day, segments, bytes, duration_ms)"
                        + " VALUES (NEW.camera, NEW.day, 1, NEW.bytes, NEW.end_ms - NEW.start_ms)"
                        + " ON CONFLICT (camera, day) DO UPDATE SET segments = segments + 1,"
                        + " bytes = bytes + excluded.bytes, duration_ms = duration_ms + excluded.duration_ms;"
                        + " END");
                s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            setMeta(c, "zone", zone.getId());
            return null;
        });
    }

    private void loadCameras() throws SQLException {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM camera")) {
            while (rs.next()) {
                cameraKeys.put(rs.getString(2), rs.getInt(1));
                cameraNames.put(rs.getInt(1), rs.getString(2));
            }
        }
    }

    /** Days are counted in the system's zone; when it changed since the rows were written, they are recounted. */
    private void checkZone() throws SQLException {
        Optional<String> stored = meta("zone");
        if (stored.isPresent() && stored.get().equals(zone.getId())) {
            return;
        }
        LOG.log(Level.INFO, "The time zone changed from {0} to {1}; recounting recording days.",
                stored.orElse("(none)"), zone.getId());
        inTransaction(c -> {
            List<long[]> changes = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, start_ms, day FROM segment")) {
                while (rs.next()) {
                    int day = dayOf(rs.getLong(2));
                    if (day != rs.getInt(3)) {
                        changes.add(new long[] {rs.getLong(1), day});
                    }
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE segment SET day = ? WHERE id = ?")) {
                for (long[] ch : changes) {
                    u.setLong(1, ch[1]);
                    u.setLong(2, ch[0]);
                    u.executeUpdate();
                }
            }
            setMeta(c, "zone", zone.getId());
            return null;
        });
    }

    // ---------------------------------------------------------------- transactions

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on failure). */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            writer.setAutoCommit(false);
            boolean ok = false;
            try {
                T result = work.run(writer);
                writer.commit();
                ok = true;
                return result;
            } finally {
                if (!ok) {
                    try {
                        writer.rollback();
                    } catch (SQLException e) {
                        LOG.log(Level.WARNING, "Rolling back a catalog transaction failed: {0}", e.getMessage());
                    }
                }
                writer.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a read-only connection of the pool. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        ensureOpen();
        Connection c;
        try {
            c = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a catalog connection");
        }
        if (c == null) {
            throw new SQLException("No catalog connection became free within 30 s.");
        }
        try {
            ensureOpen();
            return work.run(c);
        } finally {
            readers.offer(c);
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("The recordings catalog is closed (Vigil is stopping).");
        }
    }

    // ---------------------------------------------------------------- meta, cameras, limits

    /** A setting; read through the pool, so that it never waits for a long write transaction. */
    public Optional<String> meta(String key) throws SQLException {
        if (readers.isEmpty() && allReaders.isEmpty()) {
            return meta(writer, key); // while opening
        }
        return read(c -> meta(c, key));
    }

    private static Optional<String> meta(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void setMeta(String key, String value) throws SQLException {
        inTransaction(c -> {
            setMeta(c, key, value);
            return null;
        });
    }

    private static void setMeta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    /** The key of a camera, created in the current transaction when new (remembered once committed). */
    private int cameraKey(Connection c, String name, Map<String, Integer> created) throws SQLException {
        Integer key = cameraKeys.get(name);
        if (key == null) {
            key = created.get(name);
        }
        if (key != null) {
            return key;
        }
        try (PreparedStatement find = c.prepareStatement("SELECT id FROM camera WHERE name = ?")) {
            find.setString(1, name);
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    key = rs.getInt(1);
                    created.put(name, key);
                    return key;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO camera (name) VALUES (?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, name);
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                key = rs.getInt(1);
            }
        }
        created.put(name, key);
        return key;
    }

    public Map<String, CameraLimits> limits() throws SQLException {
        return read(c -> {
            Map<String, CameraLimits> result = new TreeMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT camera, max_age_s, max_bytes FROM retention_limit")) {
                while (rs.next()) {
                    long age = rs.getLong(2);
                    boolean ageSet = !rs.wasNull();
                    long bytes = rs.getLong(3);
                    boolean bytesSet = !rs.wasNull();
                    result.put(rs.getString(1), new CameraLimits(
                            ageSet ? Optional.of(Duration.ofSeconds(age)) : Optional.empty(),
                            bytesSet ? OptionalLong.of(bytes) : OptionalLong.empty()));
                }
            }
            return result;
        });
    }

    public void setLimits(String camera, CameraLimits limits) throws SQLException {
        inTransaction(c -> {
            if (limits.isNone()) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM retention_limit WHERE camera = ?")) {
                    p.setString(1, camera);
                    p.executeUpdate();
                }
                return null;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO retention_limit (camera, max_age_s, max_bytes)"
                    + " VALUES (?, ?, ?) ON CONFLICT (camera) DO UPDATE SET max_age_s = excluded.max_age_s,"
                    + " max_bytes = excluded.max_bytes")) {
                p.setString(1, camera);
                if (limits.maxAge().isPresent()) {
                    p.setLong(2, limits.maxAge().get().toSeconds());
                } else {
                    p.setNull(2, java.sql.Types.INTEGER);
                }
                if (limits.maxBytes().isPresent()) {
                    p.setLong(3, limits.maxBytes().getAsLong());
                } else {
                    p.setNull(3, java.sql.Types.INTEGER);
                }
                p.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- inserting

    /** What an insert batch did. */
    public record Inserted(long added, long changed, Set<String> cameras) {
    }

    /**
     * Catalogues segments in one transaction. A path already catalogued is corrected when the new data differs (an
     * announcement arriving after a check catalogued the same file from its headers).
     */
    public Inserted insert(Collection<NewSegment> segments) throws SQLException {
        return insert(segments, true);
    }

    /**
     * Catalogues segments in one transaction; with {@code replaceExisting} false a path already catalogued is left as
     * it is (a check never overwrites what a recorder announced).
     */
    public Inserted insert(Collection<NewSegment> segments, boolean replaceExisting) throws SQLException {
        if (segments.isEmpty()) {
            return new Inserted(0, 0, Set.of());
        }
        Map<String, Integer> created = new java.util.HashMap<>();
        Inserted result = inTransaction(c -> {
            long added = 0;
            long changed = 0;
            Set<String> cams = new HashSet<>();
            try (PreparedStatement find = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM segment WHERE path = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO segment (camera, start_ms, end_ms,"
                            + " day, path, bytes, frames, codec, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement upd = c.prepareStatement("UPDATE segment SET start_ms = ?, end_ms = ?,"
                            + " day = ?, bytes = ?, frames = ?, codec = ?, state = ? WHERE id = ?");
                    Runs runs = new Runs(c)) {
                for (NewSegment n : segments) {
                    int cam = cameraKey(c, n.camera(), created);
                    find.setString(1, n.path());
                    SegmentRow existing = null;
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            existing = row(rs);
                        }
                    }
                    if (existing != null) {
                        if (!replaceExisting) {
                            continue;
                        }
                        if (existing.startMs() == n.startMs() && existing.endMs() == n.endMs()
                                && existing.bytes() == n.bytes() && existing.frames() == n.frames()
                                && existing.state() == n.state()) {
                            continue;
                        }
                        upd.setLong(1, n.startMs());
                        upd.setLong(2, n.endMs());
                        upd.setInt(3, dayOf(n.startMs()));
                        upd.setLong(4, n.bytes());
                        upd.setLong(5, n.frames());
                        upd.setString(6, n.codec().id());
                        upd.setInt(7, n.state().ordinal());
                        upd.setLong(8, existing.id());
                        upd.executeUpdate();
                        runs.removed(cam, List.of(existing));
                        runs.added(cam, n.startMs(), n.endMs());
                        changed++;
                    } else {
                        ins.setInt(1, cam);
                        ins.setLong(2, n.startMs());
                        ins.setLong(3, n.endMs());
                        ins.setInt(4, dayOf(n.startMs()));
                        ins.setString(5, n.path());
                        ins.setLong(6, n.bytes());
                        ins.setLong(7, n.frames());
                        ins.setString(8, n.codec().id());
                        ins.setInt(9, n.state().ordinal());
                        ins.executeUpdate();
                        runs.added(cam, n.startMs(), n.endMs());
                        added++;
                    }
                    cams.add(n.camera());
                    long d = n.endMs() - n.startMs();
                    if (d > maxDurationMs) {
                        maxDurationMs = d;
                    }
                }
            }
            return new Inserted(added, changed, cams);
        });
        created.forEach((n, k) -> {
            cameraKeys.put(n, k);
            cameraNames.put(k, n);
        });
        return result;
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Step one of the deletion protocol: in one transaction each row moves to the garbage table (its file still on
     * disk) and leaves the segment table. Returns the rows that were still catalogued.
     */
    public List<SegmentRow> markGarbage(List<SegmentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        return inTransaction(c -> {
            List<SegmentRow> done = new ArrayList<>();
            try (PreparedStatement g = c.prepareStatement("INSERT INTO garbage (path, bytes, since_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (path) DO NOTHING");
                    PreparedStatement d = c.prepareStatement("DELETE FROM segment WHERE id = ?");
                    Runs runs = new Runs(c)) {
                for (SegmentRow r : rows) {
                    d.setLong(1, r.id());
                    if (d.executeUpdate() != 1) {
                        continue;
                    }
                    g.setString(1, r.path());
                    g.setLong(2, r.bytes());
                    g.setLong(3, now);
                    g.executeUpdate();
                    done.add(r);
                }
                removedFromRuns(runs, done);
            }
            return done;
        });
    }

    /** Last step of the deletion protocol: the files are gone and their folders synced. */
    public void forgetGarbage(Collection<String> paths) throws SQLException {
        if (paths.isEmpty()) {
            return;
        }
        inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM garbage WHERE path = ?")) {
                for (String path : paths) {
                    p.setString(1, path);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Step one of deleting a file that has no row (an abandoned segment, a leftover): only the garbage row. */
    public void addGarbage(String path, long bytes) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement g = c.prepareStatement("INSERT INTO garbage (path, bytes, since_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (path) DO NOTHING")) {
                g.setString(1, path);
                g.setLong(2, bytes);
                g.setLong(3, System.currentTimeMillis());
                g.executeUpdate();
            }
            return null;
        });
    }

    public record GarbageRow(String path, long bytes, long sinceMs) {
    }

    public List<GarbageRow> garbage() throws SQLException {
        return read(c -> {
            List<GarbageRow> result = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT path, bytes, since_ms FROM garbage ORDER BY path")) {
                while (rs.next()) {
                    result.add(new GarbageRow(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return result;
        });
    }

    public Set<String> garbagePaths() throws SQLException {
        Set<String> result = new HashSet<>();
        for (GarbageRow g : garbage()) {
            result.add(g.path());
        }
        return result;
    }

    /** Removes rows whose files are gone (no garbage step: there is nothing left to delete). */
    public List<SegmentRow> removeRows(List<SegmentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        return inTransaction(c -> {
            List<SegmentRow> done = new ArrayList<>();
            try (PreparedStatement d = c.prepareStatement("DELETE FROM segment WHERE id = ?"); Runs runs = new Runs(c)) {
                for (SegmentRow r : rows) {
                    d.setLong(1, r.id());
                    if (d.executeUpdate() == 1) {
                        done.add(r);
                    }
                }
                removedFromRuns(runs, done);
            }
            return done;
        });
    }

    private void removedFromRuns(Runs runs, List<SegmentRow> removed) throws SQLException {
        Map<String, List<SegmentRow>> byCamera = new LinkedHashMap<>();
        for (SegmentRow r : removed) {
            byCamera.computeIfAbsent(r.camera(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<SegmentRow>> e : byCamera.entrySet()) {
            Integer cam = cameraKeys.get(e.getKey());
            if (cam != null) {
                runs.removed(cam, e.getValue());
            }
        }
    }

    /** Marks segments (un)protected; returns how many changed. */
    public int setProtected(SegmentSelection sel, boolean protect) throws SQLException {
        return inTransaction(c -> {
            StringBuilder sql = new StringBuilder("UPDATE segment SET protected = ? WHERE protected != ?");
            List<Object> args = new ArrayList<>(List.of(protect ? 1 : 0, protect ? 1 : 0));
            if (!appendSelection(sql, args, sel)) {
                return 0;
            }
            try (PreparedStatement p = prepare(c, sql.toString(), args)) {
                return p.executeUpdate();
            }
        });
    }

    /** The day folders ({@code camera/YYYYMMDD}) holding segments of a selection. */
    public List<String> foldersOf(SegmentSelection sel) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT substr(path, 1, instr(path, '/') + 8) FROM segment"
                + " WHERE 1");
        List<Object> args = new ArrayList<>();
        if (!appendSelection(sql, args, sel)) {
            return List.of();
        }
        return read(c -> {
            List<String> result = new ArrayList<>();
            try (PreparedStatement p = prepare(c, sql.toString(), args); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        });
    }

    /** File names of the protected segments in one day folder, sorted. */
    public List<String> protectedNames(String folder) throws SQLException {
        return read(c -> {
            List<String> result = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT path FROM segment WHERE path > ? AND path < ?"
                    + " AND protected = 1 ORDER BY path")) {
                p.setString(1, folder + "/");
                p.setString(2, folder + "0");
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String path = rs.getString(1);
                        result.add(path.substring(folder.length() + 1));
                    }
                }
            }
            return result;
        });
    }

    /**
     * Protects the segments at these paths that are not protected; with {@code dryRun} only counts them. Returns how
     * many (would) change.
     */
    public int protectPaths(List<String> paths, boolean dryRun) throws SQLException {
        int n = 0;
        for (int k = 0; k < paths.size(); k += 500) {
            List<String> part = paths.subList(k, Math.min(paths.size(), k + 500));
            String in = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            if (dryRun) {
                n += read(c -> {
                    try (PreparedStatement p = prepare(c, "SELECT count(*) FROM segment WHERE protected = 0 AND path"
                            + " IN (" + in + ")", new ArrayList<>(part)); ResultSet rs = p.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                });
            } else {
                n += inTransaction(c -> {
                    try (PreparedStatement p = prepare(c, "UPDATE segment SET protected = 1 WHERE protected = 0 AND"
                            + " path IN (" + in + ")", new ArrayList<>(part))) {
                        return p.executeUpdate();
                    }
                });
            }
        }
        return n;
    }

    /** Rebuilds the run table from the segments (a repair). */
    public void rebuildRuns() throws SQLException {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM run");
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT start_ms, end_ms FROM segment INDEXED BY segment_camera_start WHERE camera = ?"
                            + " ORDER BY start_ms");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO run (camera, start_ms, end_ms) VALUES (?, ?, ?)")) {
                for (int cam : new ArrayList<>(cameraNames.keySet())) {
                    q.setInt(1, cam);
                    long s = 0;
                    long e = 0;
                    boolean open = false;
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            long a = rs.getLong(1);
                            long b = rs.getLong(2);
                            if (open && a <= e + CONTIGUITY_MS) {
                                e = Math.max(e, b);
                                continue;
                            }
                            if (open) {
                                insertRun(ins, cam, s, e);
                            }
                            s = a;
                            e = b;
                            open = true;
                        }
                    }
                    if (open) {
                        insertRun(ins, cam, s, e);
                    }
                }
            }
            return null;
        });
    }

    private static void insertRun(PreparedStatement ins, int cam, long s, long e) throws SQLException {
        ins.setInt(1, cam);
        ins.setLong(2, s);
        ins.setLong(3, e);
        ins.executeUpdate();
    }

    /** Maintains the run table: merges on insert, splits or trims on removal (see {@link #removed}). */
    private final class Runs implements AutoCloseable {
        private final PreparedStatement overlapping;
        private final PreparedStatement insert;
        private final PreparedStatement update;
        private final PreparedStatement delete;
        private final PreparedStatement lastBefore;
        private final PreparedStatement maxEndBetween;
        private final PreparedStatement startingBetween;
        private final PreparedStatement firstAfter;

        Runs(Connection c) throws SQLException {
            overlapping = c.prepareStatement("SELECT id, start_ms, end_ms FROM run WHERE camera = ? AND end_ms >= ?"
                    + " AND start_ms <= ? ORDER BY start_ms");
            insert = c.prepareStatement("INSERT INTO run (camera, start_ms, end_ms) VALUES (?, ?, ?)");
            update = c.prepareStatement("UPDATE run SET start_ms = ?, end_ms = ? WHERE id = ?");
            delete = c.prepareStatement("DELETE FROM run WHERE id = ?");
            lastBefore = c.prepareStatement("SELECT start_ms FROM segment INDEXED BY segment_camera_start"
                    + " WHERE camera = ? AND start_ms >= ? AND start_ms < ? ORDER BY start_ms DESC LIMIT 1");
            maxEndBetween = c.prepareStatement("SELECT max(end_ms) FROM segment INDEXED BY segment_camera_start"
                    + " WHERE camera = ? AND start_ms >= ? AND start_ms < ?");
            startingBetween = c.prepareStatement("SELECT start_ms, end_ms FROM segment INDEXED BY"
                    + " segment_camera_start WHERE camera = ? AND start_ms >= ? AND start_ms <= ? ORDER BY start_ms");
            firstAfter = c.prepareStatement("SELECT start_ms FROM segment INDEXED BY segment_camera_start"
                    + " WHERE camera = ? AND start_ms > ? AND start_ms <= ? ORDER BY start_ms LIMIT 1");
        }

        /** A segment [s, e] was added: it joins (and may bridge) the runs it touches, or starts its own. */
        void added(int cam, long s, long e) throws SQLException {
            List<long[]> touching = overlapping(cam, s - CONTIGUITY_MS, e + CONTIGUITY_MS);
            if (touching.isEmpty()) {
                insertRun(insert, cam, s, e);
                return;
            }
            long ns = s;
            long ne = e;
            for (long[] r : touching) {
                ns = Math.min(ns, r[1]);
                ne = Math.max(ne, r[2]);
            }
            long[] keep = touching.get(0);
            if (keep[1] != ns || keep[2] != ne) {
                update.setLong(1, ns);
                update.setLong(2, ne);
                update.setLong(3, keep[0]);
                update.executeUpdate();
            }
            for (int i = 1; i < touching.size(); i++) {
                delete.setLong(1, touching.get(i)[0]);
                delete.executeUpdate();
            }
        }

        /**
         * Segments were removed (their rows are already gone). For each run they were in, the part before the
         * removed window and the part after it stay connected (nothing removed could have bridged a gap there), so
         * the run is rebuilt from: its old start to the latest end before the window, the segments still inside the
         * window, and the first start after the window to its old end. Only the window is read.
         */
        void removed(int cam, List<SegmentRow> rows) throws SQLException {
            Map<Long, long[]> windows = new LinkedHashMap<>(); // run id -> {start, end, wlo, whi}
            for (SegmentRow r : rows) {
                for (long[] run : overlapping(cam, r.startMs(), r.endMs())) {
                    long[] w = windows.computeIfAbsent(run[0], k -> new long[] {run[1], run[2], Long.MAX_VALUE,
                            Long.MIN_VALUE});
                    w[2] = Math.min(w[2], r.startMs());
                    w[3] = Math.max(w[3], r.endMs());
                }
            }
            for (Map.Entry<Long, long[]> e : windows.entrySet()) {
                rebuild(cam, e.getKey(), e.getValue());
            }
        }

        private void rebuild(int cam, long runId, long[] w) throws SQLException {
            long runStart = w[0];
            long runEnd = w[1];
            long wlo = Math.max(w[2], runStart);
            long whi = w[3];
            List<long[]> pieces = new ArrayList<>();
            if (wlo > runStart) {
                Long last = single(lastBefore, cam, runStart, wlo);
                if (last != null) {
                    Long leftEnd = single(maxEndBetween, cam, Math.max(runStart, last - maxDurationMs), wlo);
                    pieces.add(new long[] {runStart, leftEnd == null ? last : leftEnd});
                }
            }
            startingBetween.setInt(1, cam);
            startingBetween.setLong(2, wlo);
            startingBetween.setLong(3, Math.min(whi, runEnd));
            try (ResultSet rs = startingBetween.executeQuery()) {
                while (rs.next()) {
                    pieces.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            if (whi < runEnd) {
                Long first = single(firstAfter, cam, whi, runEnd);
                if (first != null) {
                    pieces.add(new long[] {first, runEnd});
                }
            }
            pieces.sort((a, b) -> Long.compare(a[0], b[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] p : pieces) {
                long[] tail = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (tail != null && p[0] <= tail[1] + CONTIGUITY_MS) {
                    tail[1] = Math.max(tail[1], p[1]);
                } else {
                    merged.add(new long[] {p[0], p[1]});
                }
            }
            if (merged.isEmpty()) {
                delete.setLong(1, runId);
                delete.executeUpdate();
                return;
            }
            update.setLong(1, merged.get(0)[0]);
            update.setLong(2, merged.get(0)[1]);
            update.setLong(3, runId);
            update.executeUpdate();
            for (int i = 1; i < merged.size(); i++) {
                insertRun(insert, cam, merged.get(i)[0], merged.get(i)[1]);
            }
        }

        private List<long[]> overlapping(int cam, long s, long e) throws SQLException {
            overlapping.setInt(1, cam);
            overlapping.setLong(2, s);
            overlapping.setLong(3, e);
            List<long[]> result = new ArrayList<>();
            try (ResultSet rs = overlapping.executeQuery()) {
                while (rs.next()) {
                    result.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                }
            }
            return result;
        }

        private Long single(PreparedStatement p, int cam, long a, long b) throws SQLException {
            p.setInt(1, cam);
            p.setLong(2, a);
            p.setLong(3, b);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
                return null;
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement p : List.of(overlapping, insert, update, delete, lastBefore, maxEndBetween,
                    startingBetween, firstAfter)) {
                p.close();
            }
        }
    }

    // ---------------------------------------------------------------- queries

    public Page<Segment> segments(SegmentQuery q, QueryCancel cancel) throws SQLException {
        List<Integer> cams = keys(q.cameras());
        if (!q.cameras().isEmpty() && cams.isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        long from = millis(q.from());
        long to = millis(q.to());
        long lo = saturatedMinus(from, maxDurationMs);
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM segment INDEXED BY ")
                .append(cams.size() == 1 ? "segment_camera_start" : "segment_start").append(" WHERE ");
        List<Object> args = new ArrayList<>();
        appendCameras(sql, args, cams);
        Optional<PageCursor> after = q.after();
        if (!q.newestFirst()) {
            long startBound = after.isPresent() ? Math.max(lo, after.get().startMillis()) : lo;
            sql.append(" start_ms >= ? AND start_ms < ? AND end_ms > ?");
            args.addAll(List.of(startBound, to, from));
            if (after.isPresent()) {
                sql.append(" AND (start_ms > ? OR id > ?)");
                args.addAll(List.of(after.get().startMillis(), after.get().id()));
            }
            sql.append(" ORDER BY start_ms, id");
        } else {
            long startBound = after.isPresent() ? Math.min(to - 1, after.get().startMillis()) : to - 1;
            sql.append(" start_ms >= ? AND start_ms <= ? AND end_ms > ?");
            args.addAll(List.of(lo, startBound, from));
            if (after.isPresent()) {
                sql.append(" AND (start_ms < ? OR id < ?)");
                args.addAll(List.of(after.get().startMillis(), after.get().id()));
            }
            sql.append(" ORDER BY start_ms DESC, id DESC");
        }
        sql.append(" LIMIT ?");
        args.add(q.limit() + 1);
        Path r = root;
        List<SegmentRow> rows = queryRows(sql.toString(), args, cancel);
        List<Segment> items = new ArrayList<>(Math.min(rows.size(), q.limit()));
        for (int i = 0; i < rows.size() && i < q.limit(); i++) {
            items.add(rows.get(i).toSegment(r));
        }
        Optional<PageCursor> next = rows.size() > q.limit()
                ? Optional.of(PageCursor.after(items.get(items.size() - 1)))
                : Optional.empty();
        return new Page<>(items, next);
    }

    public Optional<Segment> segment(long id) throws SQLException {
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment WHERE id = ?", List.of(id),
                QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).toSegment(root));
    }

    public Optional<SegmentRow> rowByPath(String path) throws SQLException {
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment WHERE path = ?", List.of(path),
                QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public Optional<Segment> segmentAt(String camera, Instant time) throws SQLException {
        Integer cam = cameraKeys.get(camera);
        if (cam == null) {
            return Optional.empty();
        }
        long t = millis(time);
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_camera_start"
                + " WHERE camera = ? AND start_ms <= ? AND start_ms >= ? AND end_ms > ? ORDER BY start_ms DESC LIMIT 1",
                List.of(cam, t, saturatedMinus(t, maxDurationMs), t), QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).toSegment(root));
    }

    public List<DayCoverage> days(Set<String> cameras, QueryCancel cancel) throws SQLException {
        List<Integer> cams = keys(cameras);
        if (!cameras.isEmpty() && cams.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT day, sum(segments), sum(bytes), sum(duration_ms)"
                + " FROM day_summary");
        List<Object> args = new ArrayList<>();
        if (!cams.isEmpty()) {
            sql.append(" WHERE ");
            appendCameras(sql, args, cams);
            sql.setLength(sql.length() - " AND".length());
        }
        sql.append(" GROUP BY day ORDER BY day");
        return read(c -> {
            List<DayCoverage> result = new ArrayList<>();
            try (PreparedStatement p = prepare(c, sql.toString(), args)) {
                cancel.running(p);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        cancel.check();
                        int d = rs.getInt(1);
                        result.add(new DayCoverage(LocalDate.of(d / 10000, d / 100 % 100, d % 100), rs.getLong(2),
                                rs.getLong(3), Duration.ofMillis(rs.getLong(4))));
                    }
                } finally {
                    cancel.done();
                }
            }
            return result;
        });
    }

    /** Coverage and gaps per hour, from the run table (which already joins segments closer than a second). */
    public List<HourCoverage> hours(String camera, Instant fromInstant, Instant toInstant, QueryCancel cancel)
            throws SQLException {
        long from = millis(fromInstant);
        long to = millis(toInstant);
        if (to <= from) {
            return List.of();
        }
        if (to - from > Duration.ofDays(400).toMillis()) {
            throw new IllegalArgumentException("A timeline covers at most 400 days; ask for a shorter range.");
        }
        Integer cam = cameraKeys.get(camera);
        List<long[]> runs = new ArrayList<>();
        if (cam != null) {
            read(c -> {
                try (PreparedStatement p = c.prepareStatement("SELECT start_ms, end_ms FROM run WHERE camera = ?"
                        + " AND end_ms > ? AND start_ms < ? ORDER BY start_ms")) {
                    p.setInt(1, cam);
                    p.setLong(2, from);
                    p.setLong(3, to);
                    cancel.running(p);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            cancel.check();
                            runs.add(new long[] {rs.getLong(1), rs.getLong(2)});
                        }
                    } finally {
                        cancel.done();
                    }
                }
                return null;
            });
        }
        List<HourCoverage> result = new ArrayList<>();
        ZonedDateTime hour = Instant.ofEpochMilli(from).atZone(zone).truncatedTo(ChronoUnit.HOURS);
        int i = 0;
        while (hour.toInstant().toEpochMilli() < to) {
            cancel.check();
            ZonedDateTime next = hour.plusHours(1);
            long hs = Math.max(from, hour.toInstant().toEpochMilli());
            long he = Math.min(to, next.toInstant().toEpochMilli());
            while (i < runs.size() && runs.get(i)[1] <= hs) {
                i++;
            }
            long covered = 0;
            long cursor = hs;
            List<Gap> gaps = new ArrayList<>();
            for (int j = i; j < runs.size() && runs.get(j)[0] < he; j++) {
                long s = Math.max(hs, runs.get(j)[0]);
                long e = Math.min(he, runs.get(j)[1]);
                if (s > cursor) {
                    gaps.add(new Gap(Instant.ofEpochMilli(cursor), Instant.ofEpochMilli(s)));
                }
                if (e > s) {
                    covered += e - s;
                }
                cursor = Math.max(cursor, e);
            }
            if (cursor < he) {
                gaps.add(new Gap(Instant.ofEpochMilli(cursor), Instant.ofEpochMilli(he)));
            }
            result.add(new HourCoverage(Instant.ofEpochMilli(hs), Instant.ofEpochMilli(he), Duration.ofMillis(covered),
                    gaps));
            hour = next;
        }
        return result;
    }

    public List<CameraTotals> totals(QueryCancel cancel) throws SQLException {
        return read(c -> {
            Map<Integer, long[]> sums = new TreeMap<>();
            try (Statement s = c.createStatement()) {
                cancel.running(s);
                try (ResultSet rs = s.executeQuery("SELECT camera, sum(segments), sum(bytes), sum(duration_ms)"
                        + " FROM day_summary GROUP BY camera")) {
                    while (rs.next()) {
                        sums.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), 0, 0});
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT camera, count(*), sum(bytes) FROM segment"
                        + " INDEXED BY segment_protected WHERE protected = 1 GROUP BY camera")) {
                    while (rs.next()) {
                        long[] v = sums.get(rs.getInt(1));
                        if (v != null) {
                            v[3] = rs.getLong(2);
                            v[4] = rs.getLong(3);
                        }
                    }
                }
            } finally {
                cancel.done();
            }
            List<CameraTotals> result = new ArrayList<>();
            try (PreparedStatement oldest = c.prepareStatement("SELECT start_ms FROM segment INDEXED BY"
                    + " segment_camera_start WHERE camera = ? ORDER BY start_ms LIMIT 1");
                    PreparedStatement newest = c.prepareStatement("SELECT end_ms FROM segment INDEXED BY"
                            + " segment_camera_start WHERE camera = ? ORDER BY start_ms DESC LIMIT 1")) {
                for (Map.Entry<Integer, long[]> e : sums.entrySet()) {
                    cancel.check();
                    long[] v = e.getValue();
                    result.add(new CameraTotals(cameraNames.getOrDefault(e.getKey(), "?"), v[0], v[1],
                            Duration.ofMillis(v[2]), instant(oldest, e.getKey()), instant(newest, e.getKey()), v[3],
                            v[4]));
                }
            }
            result.sort((a, b) -> a.cameraId().compareTo(b.cameraId()));
            return result;
        });
    }

    private static Optional<Instant> instant(PreparedStatement p, int cam) throws SQLException {
        p.setInt(1, cam);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.empty();
        }
    }

    public List<String> cameras() throws SQLException {
        return read(c -> {
            List<String> result = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT DISTINCT c.name FROM camera c JOIN day_summary d ON d.camera = c.id ORDER BY c.name")) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        });
    }

    /** Bytes catalogued for one camera (protected included). */
    public long bytesOf(String camera) throws SQLException {
        Integer cam = cameraKeys.get(camera);
        if (cam == null) {
            return 0;
        }
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT coalesce(sum(bytes), 0) FROM day_summary"
                    + " WHERE camera = ?")) {
                p.setInt(1, cam);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** The oldest unprotected segments of a camera, optionally only those ended by {@code endedBy}. */
    public List<SegmentRow> oldest(String camera, int limit, long endedBy) throws SQLException {
        Integer cam = cameraKeys.get(camera);
        if (cam == null) {
            return List.of();
        }
        return queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_camera_start WHERE camera = ?"
                + " AND protected = 0 AND start_ms <= ? AND end_ms <= ? ORDER BY start_ms, id LIMIT ?",
                List.of(cam, endedBy, endedBy, limit), QueryCancel.NONE);
    }

    /** The oldest unprotected segments over every camera. */
    public List<SegmentRow> oldestOverall(int limit) throws SQLException {
        return queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_start WHERE protected = 0"
                + " ORDER BY start_ms, id LIMIT ?", List.of(limit), QueryCancel.NONE);
    }

    /** Selected segments in start order after {@code (afterStart, afterId)}; unprotected ones only, or all. */
    public List<SegmentRow> selected(SegmentSelection sel, long afterStart, long afterId, int limit,
            boolean unprotectedOnly) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM segment WHERE ");
        List<Object> args = new ArrayList<>();
        if (unprotectedOnly) {
            sql.append("protected = 0");
        } else {
            sql.append("1");
        }
        if (!appendSelection(sql, args, sel)) {
            return List.of();
        }
        sql.append(" AND (start_ms > ? OR (start_ms = ? AND id > ?)) ORDER BY start_ms, id LIMIT ?");
        args.addAll(List.of(afterStart, afterStart, afterId, limit));
        return queryRows(sql.toString(), args, QueryCancel.NONE);
    }

    /** Counts of a selection: {unprotected segments, their bytes, protected segments, first start, last end}. */
    public long[] count(SegmentSelection sel) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT coalesce(sum(protected = 0), 0),"
                + " coalesce(sum(CASE WHEN protected = 0 THEN bytes ELSE 0 END), 0), coalesce(sum(protected), 0),"
                + " min(CASE WHEN protected = 0 THEN start_ms END), max(CASE WHEN protected = 0 THEN end_ms END)"
                + " FROM segment WHERE 1");
        List<Object> args = new ArrayList<>();
        if (!appendSelection(sql, args, sel)) {
            return new long[] {0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE};
        }
        return read(c -> {
            try (PreparedStatement p = prepare(c, sql.toString(), args); ResultSet rs = p.executeQuery()) {
                rs.next();
                long first = rs.getLong(4);
                boolean noFirst = rs.wasNull();
                long last = rs.getLong(5);
                boolean noLast = rs.wasNull();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), noFirst ? Long.MIN_VALUE : first,
                        noLast ? Long.MIN_VALUE : last};
            }
        });
    }

    /**
     * Bytes of every unprotected catalogued segment: the most that retention could ever free. From the day summaries
     * and the (partial) index of protected segments, so it stays cheap with millions of rows.
     */
    public long unprotectedBytes() throws SQLException {
        return read(c -> queryLong(c, "SELECT (SELECT coalesce(sum(bytes), 0) FROM day_summary) - (SELECT"
                + " coalesce(sum(bytes), 0) FROM segment INDEXED BY segment_protected WHERE protected = 1)", 0));
    }

    /**
     * What retention would delete of one camera under a maximum age and size, as retention deletes (unprotected
     * segments only, oldest first): those ended by {@code endedBy}, then the oldest until the camera's bytes
     * (protected included) are at most {@code maxBytes}. {segments, bytes, recorded ms, first start, last end};
     * the last two are {@link Long#MIN_VALUE} when nothing would go.
     */
    public long[] wouldDelete(String camera, long endedBy, long maxBytes) throws SQLException {
        Integer cam = cameraKeys.get(camera);
        if (cam == null) {
            return new long[] {0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE};
        }
        long excess = Math.max(0, bytesOf(camera) - maxBytes);
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*), coalesce(sum(bytes), 0),"
                    + " coalesce(sum(end_ms - start_ms), 0), min(start_ms), max(end_ms) FROM (SELECT bytes, start_ms,"
                    + " end_ms, sum(bytes) OVER (ORDER BY start_ms, id ROWS UNBOUNDED PRECEDING) - bytes AS before"
                    + " FROM segment INDEXED BY segment_camera_start WHERE camera = ? AND protected = 0)"
                    + " WHERE (start_ms <= ? AND end_ms <= ?) OR before < ?")) {
                p.setInt(1, cam);
                p.setLong(2, endedBy);
                p.setLong(3, endedBy);
                p.setLong(4, excess);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    long n = rs.getLong(1);
                    return new long[] {n, rs.getLong(2), rs.getLong(3), n == 0 ? Long.MIN_VALUE : rs.getLong(4),
                            n == 0 ? Long.MIN_VALUE : rs.getLong(5)};
                }
            }
        });
    }

    /** Every row of a camera in path order (for comparing with a sorted folder listing). */
    public void rowsOfCamera(String camera, Consumer<SegmentRow> sink) throws SQLException {
        read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM segment WHERE path >= ?"
                    + " AND path < ? ORDER BY path")) {
                p.setString(1, camera + "/");
                p.setString(2, camera + "0");
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            }
            return null;
        });
    }

    public long segmentCount() throws SQLException {
        return read(c -> queryLong(c, "SELECT coalesce(sum(segments), 0) FROM day_summary", 0));
    }

    /** Runs of a camera as {start, end} pairs, for checks and tests. */
    public List<long[]> runs(String camera) throws SQLException {
        Integer cam = cameraKeys.get(camera);
        if (cam == null) {
            return List.of();
        }
        return read(c -> {
            List<long[]> result = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT start_ms, end_ms FROM run WHERE camera = ? ORDER BY start_ms")) {
                p.setInt(1, cam);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        result.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
            }
            return result;
        });
    }

    // ---------------------------------------------------------------- helpers

    private List<SegmentRow> queryRows(String sql, List<Object> args, QueryCancel cancel) throws SQLException {
        return read(c -> {
            List<SegmentRow> rows = new ArrayList<>();
            try (PreparedStatement p = prepare(c, sql, args)) {
                cancel.running(p);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        cancel.check();
                        rows.add(row(rs));
                    }
                } catch (SQLException e) {
                    if (cancel.isCancelled()) {
                        throw new CancellationException("The catalog query was cancelled.");
                    }
                    throw e;
                } finally {
                    cancel.done();
                }
            }
            return rows;
        });
    }

    private SegmentRow row(ResultSet rs) throws SQLException {
        String camera = cameraNames.get(rs.getInt(2));
        return new SegmentRow(rs.getLong(1), camera != null ? camera : "?",
                rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                codec(rs.getString(8)), STATES[rs.getInt(9)],
                rs.getInt(10) != 0);
    }

    private static final SegmentState[] STATES = SegmentState.values();

    private static Codec codec(String id) {
        return switch (id) {
            case "h265" -> Codec.H265;
            case "mjpeg" -> Codec.MJPEG;
            default -> Codec.H264;
        };
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Integer n) {
                p.setInt(i + 1, n);
            } else if (a instanceof Long n) {
                p.setLong(i + 1, n);
            } else {
                p.setString(i + 1, String.valueOf(a));
            }
        }
        return p;
    }

    /** Appends {@code camera IN (...) AND} (nothing for every camera). */
    private static void appendCameras(StringBuilder sql, List<Object> args, List<Integer> cams) {
        if (cams.isEmpty()) {
            return;
        }
        if (cams.size() == 1) {
            sql.append(" camera = ? AND");
        } else {
            sql.append(" camera IN (").append("?,".repeat(cams.size() - 1)).append("?) AND");
        }
        args.addAll(cams);
    }

    /** Appends the selection's conditions after a WHERE; false when it can match nothing. */
    private boolean appendSelection(StringBuilder sql, List<Object> args, SegmentSelection sel) {
        List<Integer> cams = keys(sel.cameras());
        if (!sel.cameras().isEmpty() && cams.isEmpty()) {
            return false;
        }
        long from = millis(sel.from());
        long to = millis(sel.to());
        sql.append(" AND");
        appendCameras(sql, args, cams);
        sql.append(" start_ms >= ? AND start_ms < ? AND end_ms > ?");
        args.addAll(List.of(saturatedMinus(from, maxDurationMs), to, from));
        return true;
    }

    private List<Integer> keys(Set<String> cameras) {
        List<Integer> result = new ArrayList<>();
        for (String name : cameras) {
            Integer k = cameraKeys.get(name);
            if (k != null) {
                result.add(k);
            }
        }
        result.sort(null);
        return result;
    }

    private int dayOf(long startMs) {
        LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(startMs), zone);
        return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }

    static long millis(Instant t) {
        if (t.getEpochSecond() > FAR_FUTURE / 1000) {
            return FAR_FUTURE;
        }
        if (t.getEpochSecond() < FAR_PAST / 1000) {
            return FAR_PAST;
        }
        return t.toEpochMilli();
    }

    private static long saturatedMinus(long a, long b) {
        return Math.max(FAR_PAST, a - b);
    }

    private static long queryLong(Connection c, String sql, long fallback) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : fallback;
        }
    }

    /** Closes every connection; a checkpoint folds the WAL into the database first. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writeLock.lock();
        try {
            closed = true;
            for (Connection r : allReaders) {
                closeQuietly(r);
            }
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "Checkpoint at close failed: {0}", e.getMessage());
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "Closing a catalog connection failed: {0}", e.getMessage());
        }
    }
}
