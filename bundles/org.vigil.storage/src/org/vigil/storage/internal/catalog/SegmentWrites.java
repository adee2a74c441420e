package org.vigil.storage.internal.catalog;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.storage.SegmentSelection;

/**
 * Writes to the segment table: cataloguing segments (new rows, or a row corrected by a later announcement), removing
 * rows whose files are gone, protecting and unprotecting, and recounting the day of every row when the time zone
 * changed. Each is one write transaction that keeps the run index in step; the day summaries follow by triggers.
 */
final class SegmentWrites {
    private static final Logger LOG = System.getLogger(SegmentWrites.class.getName());

    private final CatalogDatabase db;
    private final CameraKeys cameraKeys;
    private final RunIndex runIndex;
    private final SegmentQueries queries;
    private final ZoneId zone;

    SegmentWrites(CatalogDatabase db, CameraKeys cameraKeys, RunIndex runIndex, SegmentQueries queries, ZoneId zone) {
        this.db = db;
        this.cameraKeys = cameraKeys;
        this.runIndex = runIndex;
        this.queries = queries;
        this.zone = zone;
    }

    /**
     * Catalogues segments in one transaction; with {@code replaceExisting} false a path already catalogued is left as
     * it is (a check never overwrites what a recorder announced).
     */
    CatalogStore.Inserted insert(Collection<NewSegment> segments, boolean replaceExisting) throws SQLException {
        if (segments.isEmpty()) {
            return new CatalogStore.Inserted(0, 0, Set.of());
        }
        Map<String, Integer> created = new HashMap<>();
        CatalogStore.Inserted result = db.inTransaction(c -> {
            long added = 0;
            long changed = 0;
            Set<String> cams = new HashSet<>();
            try (PreparedStatement find = c.prepareStatement(
                    "SELECT " + SegmentRow.COLUMNS + " FROM segment WHERE path = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT INTO segment (camera, start_ms, end_ms,"
                            + " day, path, bytes, frames, codec, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement upd = c.prepareStatement("UPDATE segment SET start_ms = ?, end_ms = ?,"
                            + " day = ?, bytes = ?, frames = ?, codec = ?, state = ? WHERE id = ?");
                    RunIndex.Batch runs = runIndex.batch(c)) {
                for (NewSegment n : segments) {
                    int cam = cameraKeys.keyIn(c, n.camera(), created);
                    find.setString(1, n.path());
                    SegmentRow existing = null;
                    try (ResultSet rs = find.executeQuery()) {
                        if (rs.next()) {
                            existing = SegmentRow.read(rs, cameraKeys);
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
                        upd.setInt(3, Sql.dayOf(zone, n.startMs()));
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
                        ins.setInt(4, Sql.dayOf(zone, n.startMs()));
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
                    queries.noteDuration(n.endMs() - n.startMs());
                }
            }
            return new CatalogStore.Inserted(added, changed, cams);
        });
        cameraKeys.remember(created);
        return result;
    }

    /** Removes rows whose files are gone (no garbage step: there is nothing left to delete). */
    List<SegmentRow> removeRows(List<SegmentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(c -> {
            List<SegmentRow> done = new ArrayList<>();
            try (PreparedStatement d = c.prepareStatement("DELETE FROM segment WHERE id = ?");
                    RunIndex.Batch runs = runIndex.batch(c)) {
                for (SegmentRow r : rows) {
                    d.setLong(1, r.id());
                    if (d.executeUpdate() == 1) {
                        done.add(r);
                    }
                }
                runIndex.removed(runs, done);
            }
            return done;
        });
    }

    /** Marks segments (un)protected; returns how many changed. */
    int setProtected(SegmentSelection sel, boolean protect) throws SQLException {
        return db.inTransaction(c -> {
            StringBuilder sql = new StringBuilder("UPDATE segment SET protected = ? WHERE protected != ?");
            List<Object> args = new ArrayList<>(List.of(protect ? 1 : 0, protect ? 1 : 0));
            if (!queries.appendSelection(sql, args, sel)) {
                return 0;
            }
            try (PreparedStatement p = Sql.prepare(c, sql.toString(), args)) {
                return p.executeUpdate();
            }
        });
    }

    /**
     * Protects the segments at these paths that are not protected; with {@code dryRun} only counts them. Returns how
     * many (would) change.
     */
    int protectPaths(List<String> paths, boolean dryRun) throws SQLException {
        int n = 0;
        for (int k = 0; k < paths.size(); k += 500) {
            List<String> part = paths.subList(k, Math.min(paths.size(), k + 500));
            String in = String.join(",", Collections.nCopies(part.size(), "?"));
            if (dryRun) {
                n += db.read(c -> {
                    try (PreparedStatement p = Sql.prepare(c, "SELECT count(*) FROM segment WHERE protected = 0"
                            + " AND path IN (" + in + ")", new ArrayList<>(part)); ResultSet rs = p.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                });
            } else {
                n += db.inTransaction(c -> {
                    try (PreparedStatement p = Sql.prepare(c, "UPDATE segment SET protected = 1 WHERE protected = 0"
                            + " AND path IN (" + in + ")", new ArrayList<>(part))) {
                        return p.executeUpdate();
                    }
                });
            }
        }
        return n;
    }

    /** Days are counted in the system's zone; when it changed since the rows were written, they are recounted. */
    void checkZone() throws SQLException {
        Optional<String> stored = db.meta("zone");
        if (stored.isPresent() && stored.get().equals(zone.getId())) {
            return;
        }
        LOG.log(Level.INFO, "The time zone changed from {0} to {1}; recounting recording days.",
                stored.orElse("(none)"), zone.getId());
        db.inTransaction(c -> {
            List<long[]> changes = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, start_ms, day FROM segment")) {
                while (rs.next()) {
                    int day = Sql.dayOf(zone, rs.getLong(2));
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
            CatalogDatabase.setMeta(c, "zone", zone.getId());
            return null;
        });
    }
}
