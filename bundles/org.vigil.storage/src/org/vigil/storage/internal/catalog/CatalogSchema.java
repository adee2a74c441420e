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
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.sqlite.SQLiteConfig;

/**
 * The catalog's schema as ordered, numbered migrations, the way the configuration database keeps its own. The schema
 * version of a catalog is its {@code PRAGMA user_version}: the number of the last step applied. A step is never
 * changed once released; a change to the schema is a new step at the end of {@link #STEPS}.
 * <p>
 * Opening a catalog: its version and application id are read first on a connection of their own that sets nothing
 * (so a file that is refused is not touched: no journal mode is switched, nothing is written). A catalog of a newer
 * schema than this code knows, a database of another program, or an SQLite file with tables but no version is
 * refused with one sentence. An older catalog is first copied (to {@code catalog.db.before-schema-<n>}, with
 * {@code VACUUM INTO}: an older Vigil can be put back with it), then each missing step runs in its own transaction
 * together with the new {@code user_version} and its {@code schema_history} row: a step that fails is rolled back,
 * the catalog stays at the step before, and the failure is one sentence.
 */
final class CatalogSchema {
    /** {@code PRAGMA application_id} of a Vigil recordings catalog ("VGCT"). */
    static final int APPLICATION_ID = 0x56474354;
    private static final Logger LOG = System.getLogger(CatalogSchema.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** One step: the schema version it produces, what it does, and its statements in order. */
    record Step(int version, String description, List<String> statements) {
    }

    /** Every step, in order; step n produces schema version n. */
    static final List<Step> STEPS = List.of(
            new Step(1, "segments, cameras, runs, day summaries, garbage, retention limits, settings", List.of(
                    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
                    "CREATE TABLE camera (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
                    "CREATE TABLE segment ("
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
                            + " protected INTEGER NOT NULL DEFAULT 0)",
                    "CREATE INDEX segment_camera_start ON segment(camera, start_ms)",
                    "CREATE INDEX segment_start ON segment(start_ms)",
                    "CREATE INDEX segment_protected ON segment(camera, start_ms) WHERE protected = 1",
                    "CREATE TABLE run (id INTEGER PRIMARY KEY, camera INTEGER NOT NULL,"
                            + " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL)",
                    "CREATE INDEX run_camera_end ON run(camera, end_ms)",
                    "CREATE TABLE day_summary (camera INTEGER NOT NULL, day INTEGER NOT NULL,"
                            + " segments INTEGER NOT NULL, bytes INTEGER NOT NULL, duration_ms INTEGER NOT NULL,"
                            + " PRIMARY KEY (camera, day)) WITHOUT ROWID",
                    "CREATE TABLE garbage (path TEXT PRIMARY KEY, bytes INTEGER NOT NULL,"
                            + " since_ms INTEGER NOT NULL) WITHOUT ROWID",
                    "CREATE TABLE retention_limit (camera TEXT PRIMARY KEY, max_age_s INTEGER,"
                            + " max_bytes INTEGER) WITHOUT ROWID",
                    "CREATE TRIGGER segment_added AFTER INSERT ON segment BEGIN"
                            + " INSERT INTO day_summary (camera, day, segments, bytes, duration_ms)"
                            + " VALUES (NEW.camera, NEW.day, 1, NEW.bytes, NEW.end_ms - NEW.start_ms)"
                            + " ON CONFLICT (camera, day) DO UPDATE SET segments = segments + 1,"
                            + " bytes = bytes + excluded.bytes, duration_ms = duration_ms + excluded.duration_ms;"
                            + " END",
                    "CREATE TRIGGER segment_removed AFTER DELETE ON segment BEGIN"
                            + " UPDATE day_summary SET segments = segments - 1, bytes = bytes - OLD.bytes,"
                            + " duration_ms = duration_ms - (OLD.end_ms - OLD.start_ms)"
                            + " WHERE camera = OLD.camera AND day = OLD.day;"
                            + " DELETE FROM day_summary WHERE camera = OLD.camera AND day = OLD.day"
                            + " AND segments <= 0;"
                            + " END",
                    "CREATE TRIGGER segment_changed AFTER UPDATE OF start_ms, end_ms, day, bytes ON segment"
                            + " BEGIN"
                            + " UPDATE day_summary SET segments = segments - 1, bytes = bytes - OLD.bytes,"
                            + " duration_ms = duration_ms - (OLD.end_ms - OLD.start_ms)"
                            + " WHERE camera = OLD.camera AND day = OLD.day;"
                            + " DELETE FROM day_summary WHERE camera = OLD.camera AND day = OLD.day"
                            + " AND segments <= 0;"
                            + " INSERT INTO day_summary (camera, day, segments, bytes, duration_ms)"
                            + " VALUES (NEW.camera, NEW.day, 1, NEW.bytes, NEW.end_ms - NEW.start_ms)"
                            + " ON CONFLICT (camera, day) DO UPDATE SET segments = segments + 1,"
                            + " bytes = bytes + excluded.bytes, duration_ms = duration_ms + excluded.duration_ms;"
                            + " END")),
            new Step(2, "schema history, application id", List.of(
                    "PRAGMA application_id = " + APPLICATION_ID,
                    "CREATE TABLE schema_history (version INTEGER PRIMARY KEY NOT NULL, applied_at TEXT,"
                            + " description TEXT NOT NULL)",
                    "INSERT INTO schema_history (version, applied_at, description) VALUES (1, NULL,"
                            + " 'segments, cameras, runs, day summaries, garbage, retention limits, settings')")));

    /** The newest schema this code knows. */
    static final int LATEST = STEPS.get(STEPS.size() - 1).version();

    private CatalogSchema() {
    }

    /**
     * Reads the schema version of {@code file} on a connection of its own that changes nothing, and refuses a file this
     * code must not open (see the class comment).
     *
     * @return the schema version (0 for a new or empty file)
     * @throws CatalogSchemaException with one sentence; the file is unchanged
     * @throws SQLException when SQLite cannot read the file (a damaged file: {@code SQLITE_NOTADB}, ...)
     */
    static int check(Path file, int target) throws SQLException {
        try (Connection c = new SQLiteConfig().createConnection(CatalogDatabase.url(file))) {
            int version = (int) Sql.queryLong(c, "PRAGMA user_version", 0);
            int applicationId = (int) Sql.queryLong(c, "PRAGMA application_id", 0);
            if (applicationId != 0 && applicationId != APPLICATION_ID) {
                throw new CatalogSchemaException("The file " + file + " is an SQLite database of another program"
                        + " (application id " + applicationId + "), not Vigil's recordings catalog; move it away and"
                        + " Vigil starts a new catalog from the recordings on disk (the file was left unchanged).");
            }
            if (version > target) {
                throw new CatalogSchemaException("The recordings catalog " + file + " has schema version " + version
                        + ", newer than this Vigil understands (" + target + "), so it was written by a newer Vigil"
                        + " and left unchanged; run that version again, or move the file away and Vigil builds a new"
                        + " catalog from the recordings on disk.");
            }
            if (version == 0 && Sql.queryLong(c, "SELECT count(*) FROM sqlite_master", 0) > 0) {
                throw new CatalogSchemaException("The file " + file + " is an SQLite database but not a Vigil"
                        + " recordings catalog (it has tables but no schema version); move it away and Vigil starts a"
                        + " new catalog from the recordings on disk (the file was left unchanged).");
            }
            return version;
        }
    }

    /**
     * Brings the catalog to {@code target}, one transaction per step (an older catalog is copied first).
     *
     * @return the schema version the catalog had before (0 for a new one)
     * @throws CatalogSchemaException when a step fails (rolled back: the catalog is at the step before)
     */
    static int migrate(CatalogDatabase db, int target, Clock clock) throws SQLException {
        Path file = db.file();
        int version = db.read(c -> (int) Sql.queryLong(c, "PRAGMA user_version", 0));
        if (version >= target) {
            return version;
        }
        if (version > 0) {
            keepCopy(db, file, target, clock);
        }
        int at = version;
        for (Step step : STEPS) {
            if (step.version() <= version || step.version() > target) {
                continue;
            }
            try {
                db.inTransaction(c -> {
                    apply(c, step, clock);
                    return null;
                });
            } catch (SQLException | RuntimeException e) {
                throw new CatalogSchemaException("The recordings catalog " + file + " could not be brought to schema"
                        + " version " + step.version() + " (" + e.getMessage() + "), so it was left as it was, at"
                        + " version " + at + "; move it away and Vigil builds a new catalog from the recordings on"
                        + " disk.", e);
            }
            at = step.version();
            LOG.log(version == 0 ? Level.DEBUG : Level.INFO, "Recordings catalog {0}: schema version {1} ({2}).",
                    file, step.version(), step.description());
        }
        return version;
    }

    private static void apply(Connection c, Step step, Clock clock) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : step.statements()) {
                s.execute(sql);
            }
            if (step.version() >= 2) {
                try (PreparedStatement h = c.prepareStatement(
                        "INSERT INTO schema_history (version, applied_at, description) VALUES (?, ?, ?)")) {
                    h.setInt(1, step.version());
                    h.setString(2, clock.instant().toString());
                    h.setString(3, step.description());
                    h.executeUpdate();
                }
            }
            s.execute("PRAGMA user_version = " + step.version());
        }
    }

    /**
     * Copies the catalog as it is to {@code catalog.db.before-schema-<target>} (a stamped name when that exists). A
     * copy that cannot be written (a full disk) is logged and the migration goes on: every step is a transaction, and
     * the catalog can be rebuilt from the recordings.
     */
    private static void keepCopy(CatalogDatabase db, Path file, int target, Clock clock) {
        Path copy = file.resolveSibling(file.getFileName() + ".before-schema-" + target);
        if (Files.exists(copy)) {
            copy = file.resolveSibling(copy.getFileName() + "-" + STAMP.format(clock.instant()));
        }
        String into = copy.toAbsolutePath().toString().replace("'", "''");
        try {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("VACUUM INTO '" + into + "'");
                }
                return null;
            });
            LOG.log(Level.INFO, "Recordings catalog {0}: a copy of it as it was before the schema update is kept as"
                    + " {1}.", file, copy);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Recordings catalog {0}: no copy could be kept before the schema update ({1});"
                    + " updating it without one.", file, e.getMessage());
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // a partial copy that cannot be removed is harmless
            }
        }
    }
}
