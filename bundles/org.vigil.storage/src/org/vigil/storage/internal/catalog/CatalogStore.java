package org.vigil.storage.internal.catalog;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;

/**
 * The recordings catalog in SQLite ({@code catalog.db}): segments, continuous runs (coverage intervals per camera,
 * for timelines), a per-day summary kept by triggers, the garbage table of the deletion protocol, retention limits and
 * a few settings. This class opens it and is the one entry point of the storage bundle; the work is done by its
 * parts, one per seam:
 * <ul>
 * <li>{@link CatalogDatabase}: the writer connection behind a lock, the pool of readers, transactions, settings;</li>
 * <li>{@link CatalogSchema}: the schema as ordered migrations ({@code PRAGMA user_version});</li>
 * <li>{@link SegmentWrites}: cataloguing, removing, protecting rows;</li>
 * <li>{@link CatalogGarbage}: the catalog's side of the deletion protocol;</li>
 * <li>{@link RunIndex}: the run table kept in step with the segments;</li>
 * <li>{@link SegmentQueries}: rows and pages; {@link CoverageQueries}: days, hours, totals, retention sums;</li>
 * <li>{@link CameraKeys}: camera names and their keys; {@link CatalogLimits}: per-camera retention limits.</li>
 * </ul>
 */
public final class CatalogStore implements AutoCloseable {
    /** Segments closer than this are one continuous run; shorter gaps are not gaps. */
    public static final long CONTIGUITY_MS = 1000;
    public static final String FILE_NAME = "catalog.db";
    private static final Logger LOG = System.getLogger(CatalogStore.class.getName());
    /** The last refusal logged at ERROR (see {@link #open}). */
    private static volatile String lastRefusal;

    /** What an insert batch did. */
    public record Inserted(long added, long changed, Set<String> cameras) {
    }

    /** A file of the garbage table: deleted from the catalog, maybe still on disk. */
    public record GarbageRow(String path, long bytes, long sinceMs) {
    }

    private final CatalogDatabase db;
    private final ZoneId zone;
    private final int openedAtVersion;
    private final CameraKeys cameraKeys = new CameraKeys();
    private final SegmentQueries queries;
    private final CoverageQueries coverage;
    private final RunIndex runIndex;
    private final SegmentWrites writes;
    private final CatalogGarbage garbage;
    private final CatalogLimits limits;

    private CatalogStore(CatalogDatabase db, ZoneId zone, Path root, long maxDurationMs, int openedAtVersion) {
        this.db = db;
        this.zone = zone;
        this.openedAtVersion = openedAtVersion;
        this.queries = new SegmentQueries(db, cameraKeys, maxDurationMs, root);
        this.coverage = new CoverageQueries(db, cameraKeys, zone);
        this.runIndex = new RunIndex(db, cameraKeys, queries::maxDurationMs);
        this.writes = new SegmentWrites(db, cameraKeys, runIndex, queries, zone);
        this.garbage = new CatalogGarbage(db, runIndex);
        this.limits = new CatalogLimits(db);
    }

    /**
     * Opens (creating or migrating) the catalog. A file SQLite cannot read is moved aside as
     * {@code catalog.db.damaged-<time>} and a new catalog is started: the check at start rebuilds it from the disk. A
     * catalog that must not be opened as it is (see {@link CatalogSchema}) is refused with a
     * {@link CatalogSchemaException} and left unchanged.
     */
    public static CatalogStore open(Path file, ZoneId zone, Path root) throws SQLException, IOException {
        return open(file, zone, root, CatalogSchema.LATEST);
    }

    /** Opens the catalog migrated to {@code targetVersion} (tests build an earlier schema with it). */
    static CatalogStore open(Path file, ZoneId zone, Path root, int targetVersion) throws SQLException, IOException {
        try {
            return openOnce(file, zone, root, targetVersion);
        } catch (CatalogSchemaException e) {
            // the sentence, where the user reads the log; once: SCR tries again whenever a reference changes
            boolean again = e.getMessage().equals(lastRefusal);
            lastRefusal = e.getMessage();
            LOG.log(again ? Level.DEBUG : Level.ERROR, e.getMessage());
            throw e;
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
            return openOnce(file, zone, root, targetVersion);
        }
    }

    private static CatalogStore openOnce(Path file, ZoneId zone, Path root, int targetVersion)
            throws SQLException, IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        CatalogSchema.check(file, targetVersion);
        CatalogDatabase db = CatalogDatabase.open(file);
        try {
            int from = CatalogSchema.migrate(db, targetVersion, Clock.systemUTC());
            if (from == 0) {
                db.setMeta("zone", zone.getId());
            }
            long longest = db.read(c -> Sql.queryLong(c, "SELECT coalesce(max(end_ms - start_ms), 0) FROM segment",
                    0));
            CatalogStore store = new CatalogStore(db, zone, root, longest, from);
            db.read(c -> {
                store.cameraKeys.load(c);
                return null;
            });
            store.writes.checkZone();
            db.openReaders();
            return store;
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Path file() {
        return db.file();
    }

    public ZoneId zone() {
        return zone;
    }

    public void root(Path newRoot) {
        queries.root(newRoot);
    }

    public Path root() {
        return queries.root();
    }

    /** The longest segment catalogued, in ms. */
    public long maxDurationMs() {
        return queries.maxDurationMs();
    }

    /** The schema version the file had when it was opened (0 for a new catalog). */
    public int openedAtVersion() {
        return openedAtVersion;
    }

    /** The schema version of the open catalog ({@code PRAGMA user_version}). */
    public int schemaVersion() throws SQLException {
        return db.read(c -> (int) Sql.queryLong(c, "PRAGMA user_version", 0));
    }

    // ---------------------------------------------------------------- settings and limits

    /** A setting; read through the pool, so that it never waits for a long write transaction. */
    public Optional<String> meta(String key) throws SQLException {
        return db.meta(key);
    }

    public void setMeta(String key, String value) throws SQLException {
        db.setMeta(key, value);
    }

    public Map<String, CameraLimits> limits() throws SQLException {
        return limits.limits();
    }

    public void setLimits(String camera, CameraLimits cameraLimits) throws SQLException {
        limits.setLimits(camera, cameraLimits);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Catalogues segments in one transaction. A path already catalogued is corrected when the new data differs (an
     * announcement arriving after a check catalogued the same file from its headers).
     */
    public Inserted insert(Collection<NewSegment> segments) throws SQLException {
        return writes.insert(segments, true);
    }

    /**
     * Catalogues segments in one transaction; with {@code replaceExisting} false a path already catalogued is left as
     * it is (a check never overwrites what a recorder announced).
     */
    public Inserted insert(Collection<NewSegment> segments, boolean replaceExisting) throws SQLException {
        return writes.insert(segments, replaceExisting);
    }

    /** Removes rows whose files are gone (no garbage step: there is nothing left to delete). */
    public List<SegmentRow> removeRows(List<SegmentRow> rows) throws SQLException {
        return writes.removeRows(rows);
    }

    /** Marks segments (un)protected; returns how many changed. */
    public int setProtected(SegmentSelection sel, boolean protect) throws SQLException {
        return writes.setProtected(sel, protect);
    }

    /**
     * Protects the segments at these paths that are not protected; with {@code dryRun} only counts them. Returns how
     * many (would) change.
     */
    public int protectPaths(List<String> paths, boolean dryRun) throws SQLException {
        return writes.protectPaths(paths, dryRun);
    }

    /** Rebuilds the run table from the segments (a repair). */
    public void rebuildRuns() throws SQLException {
        runIndex.rebuild();
    }

    // ---------------------------------------------------------------- the deletion protocol

    /**
     * Step one of the deletion protocol: in one transaction each row moves to the garbage table (its file still on
     * disk) and leaves the segment table. Returns the rows that were still catalogued.
     */
    public List<SegmentRow> markGarbage(List<SegmentRow> rows) throws SQLException {
        return garbage.markGarbage(rows);
    }

    /** Last step of the deletion protocol: the files are gone and their folders synced. */
    public void forgetGarbage(Collection<String> paths) throws SQLException {
        garbage.forgetGarbage(paths);
    }

    /** Step one of deleting a file that has no row (an abandoned segment, a leftover): only the garbage row. */
    public void addGarbage(String path, long bytes) throws SQLException {
        garbage.addGarbage(path, bytes);
    }

    public List<GarbageRow> garbage() throws SQLException {
        return garbage.garbage();
    }

    public Set<String> garbagePaths() throws SQLException {
        return garbage.garbagePaths();
    }

    // ---------------------------------------------------------------- rows

    public Page<Segment> segments(SegmentQuery q, QueryCancel cancel) throws SQLException {
        return queries.segments(q, cancel);
    }

    public Optional<Segment> segment(long id) throws SQLException {
        return queries.segment(id);
    }

    public Optional<SegmentRow> rowByPath(String path) throws SQLException {
        return queries.rowByPath(path);
    }

    public Optional<Segment> segmentAt(String camera, Instant time) throws SQLException {
        return queries.segmentAt(camera, time);
    }

    /** The oldest unprotected segments of a camera, optionally only those ended by {@code endedBy}. */
    public List<SegmentRow> oldest(String camera, int limit, long endedBy) throws SQLException {
        return queries.oldest(camera, limit, endedBy);
    }

    /** The oldest unprotected segments over every camera. */
    public List<SegmentRow> oldestOverall(int limit) throws SQLException {
        return queries.oldestOverall(limit);
    }

    /** Selected segments in start order after {@code (afterStart, afterId)}; unprotected ones only, or all. */
    public List<SegmentRow> selected(SegmentSelection sel, long afterStart, long afterId, int limit,
            boolean unprotectedOnly) throws SQLException {
        return queries.selected(sel, afterStart, afterId, limit, unprotectedOnly);
    }

    /** Counts of a selection: {unprotected segments, their bytes, protected segments, first start, last end}. */
    public long[] count(SegmentSelection sel) throws SQLException {
        return queries.count(sel);
    }

    /** Every row of a camera in path order (for comparing with a sorted folder listing). */
    public void rowsOfCamera(String camera, Consumer<SegmentRow> sink) throws SQLException {
        queries.rowsOfCamera(camera, sink);
    }

    /** The day folders ({@code camera/YYYYMMDD}) holding segments of a selection. */
    public List<String> foldersOf(SegmentSelection sel) throws SQLException {
        return queries.foldersOf(sel);
    }

    /** File names of the protected segments in one day folder, sorted. */
    public List<String> protectedNames(String folder) throws SQLException {
        return queries.protectedNames(folder);
    }

    // ---------------------------------------------------------------- coverage

    public List<DayCoverage> days(Set<String> cameras, QueryCancel cancel) throws SQLException {
        return coverage.days(cameras, cancel);
    }

    /** Coverage and gaps per hour, from the run table (which already joins segments closer than a second). */
    public List<HourCoverage> hours(String camera, Instant from, Instant to, QueryCancel cancel) throws SQLException {
        return coverage.hours(camera, from, to, cancel);
    }

    public List<CameraTotals> totals(QueryCancel cancel) throws SQLException {
        return coverage.totals(cancel);
    }

    public List<String> cameras() throws SQLException {
        return coverage.cameras();
    }

    /** Bytes catalogued for one camera (protected included). */
    public long bytesOf(String camera) throws SQLException {
        return coverage.bytesOf(camera);
    }

    /** Bytes of every unprotected catalogued segment: the most that retention could ever free. */
    public long unprotectedBytes() throws SQLException {
        return coverage.unprotectedBytes();
    }

    /**
     * What retention would delete of one camera under a maximum age and size (see
     * {@link CoverageQueries#wouldDelete}): {segments, bytes, recorded ms, first start, last end}.
     */
    public long[] wouldDelete(String camera, long endedBy, long maxBytes) throws SQLException {
        return coverage.wouldDelete(camera, endedBy, maxBytes);
    }

    public long segmentCount() throws SQLException {
        return coverage.segmentCount();
    }

    /** Runs of a camera as {start, end} pairs, for checks and tests. */
    public List<long[]> runs(String camera) throws SQLException {
        return runIndex.runs(camera);
    }

    /** Closes every connection; a checkpoint folds the WAL into the database first. Idempotent. */
    @Override
    public void close() {
        db.close();
    }
}
