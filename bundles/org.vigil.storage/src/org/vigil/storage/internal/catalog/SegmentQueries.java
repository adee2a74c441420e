package org.vigil.storage.internal.catalog;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;

/**
 * Queries of segment rows: keyset pages for the views and commands, a segment by id, path or time, the oldest
 * unprotected rows for retention, a selection in start order for deletion jobs, and a camera's rows in path order for
 * the check. Every query runs on a reader of the pool. A segment starts at most {@link #maxDurationMs()} before it
 * ends, so a time range is found through the start index alone ({@code start_ms >= from - longest}).
 */
final class SegmentQueries {
    private static final String COLUMNS = SegmentRow.COLUMNS;

    private final CatalogDatabase db;
    private final CameraKeys cameraKeys;
    private volatile long maxDurationMs;
    private volatile Path root;

    SegmentQueries(CatalogDatabase db, CameraKeys cameraKeys, long maxDurationMs, Path root) {
        this.db = db;
        this.cameraKeys = cameraKeys;
        this.maxDurationMs = maxDurationMs;
        this.root = root;
    }

    /** The longest segment catalogued (a bound of every time-range query). */
    long maxDurationMs() {
        return maxDurationMs;
    }

    /** A segment of this length was catalogued. */
    void noteDuration(long ms) {
        if (ms > maxDurationMs) {
            maxDurationMs = ms;
        }
    }

    Path root() {
        return root;
    }

    void root(Path newRoot) {
        this.root = newRoot;
    }

    Page<Segment> segments(SegmentQuery q, QueryCancel cancel) throws SQLException {
        List<Integer> cams = cameraKeys.keys(q.cameras());
        if (!q.cameras().isEmpty() && cams.isEmpty()) {
            return new Page<>(List.of(), Optional.empty());
        }
        long from = Sql.millis(q.from());
        long to = Sql.millis(q.to());
        long lo = Sql.saturatedMinus(from, maxDurationMs);
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

    Optional<Segment> segment(long id) throws SQLException {
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment WHERE id = ?", List.of(id),
                QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).toSegment(root));
    }

    Optional<SegmentRow> rowByPath(String path) throws SQLException {
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment WHERE path = ?", List.of(path),
                QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    Optional<Segment> segmentAt(String camera, Instant time) throws SQLException {
        Integer cam = cameraKeys.key(camera);
        if (cam == null) {
            return Optional.empty();
        }
        long t = Sql.millis(time);
        List<SegmentRow> rows = queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_camera_start"
                + " WHERE camera = ? AND start_ms <= ? AND start_ms >= ? AND end_ms > ? ORDER BY start_ms DESC LIMIT 1",
                List.of(cam, t, Sql.saturatedMinus(t, maxDurationMs), t), QueryCancel.NONE);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).toSegment(root));
    }

    /** The oldest unprotected segments of a camera, optionally only those ended by {@code endedBy}. */
    List<SegmentRow> oldest(String camera, int limit, long endedBy) throws SQLException {
        Integer cam = cameraKeys.key(camera);
        if (cam == null) {
            return List.of();
        }
        return queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_camera_start WHERE camera = ?"
                + " AND protected = 0 AND start_ms <= ? AND end_ms <= ? ORDER BY start_ms, id LIMIT ?",
                List.of(cam, endedBy, endedBy, limit), QueryCancel.NONE);
    }

    /** The oldest unprotected segments over every camera. */
    List<SegmentRow> oldestOverall(int limit) throws SQLException {
        return queryRows("SELECT " + COLUMNS + " FROM segment INDEXED BY segment_start WHERE protected = 0"
                + " ORDER BY start_ms, id LIMIT ?", List.of(limit), QueryCancel.NONE);
    }

    /** Selected segments in start order after {@code (afterStart, afterId)}; unprotected ones only, or all. */
    List<SegmentRow> selected(SegmentSelection sel, long afterStart, long afterId, int limit,
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
    long[] count(SegmentSelection sel) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT coalesce(sum(protected = 0), 0),"
                + " coalesce(sum(CASE WHEN protected = 0 THEN bytes ELSE 0 END), 0), coalesce(sum(protected), 0),"
                + " min(CASE WHEN protected = 0 THEN start_ms END), max(CASE WHEN protected = 0 THEN end_ms END)"
                + " FROM segment WHERE 1");
        List<Object> args = new ArrayList<>();
        if (!appendSelection(sql, args, sel)) {
            return new long[] {0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE};
        }
        return db.read(c -> {
            try (PreparedStatement p = Sql.prepare(c, sql.toString(), args); ResultSet rs = p.executeQuery()) {
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

    /** Every row of a camera in path order (for comparing with a sorted folder listing). */
    void rowsOfCamera(String camera, Consumer<SegmentRow> sink) throws SQLException {
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM segment WHERE path >= ?"
                    + " AND path < ? ORDER BY path")) {
                p.setString(1, camera + "/");
                p.setString(2, camera + "0");
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(SegmentRow.read(rs, cameraKeys));
                    }
                }
            }
            return null;
        });
    }

    /** The day folders ({@code camera/YYYYMMDD}) holding segments of a selection. */
    List<String> foldersOf(SegmentSelection sel) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT DISTINCT substr(path, 1, instr(path, '/') + 8) FROM segment"
                + " WHERE 1");
        List<Object> args = new ArrayList<>();
        if (!appendSelection(sql, args, sel)) {
            return List.of();
        }
        return db.read(c -> {
            List<String> result = new ArrayList<>();
            try (PreparedStatement p = Sql.prepare(c, sql.toString(), args); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        });
    }

    /** File names of the protected segments in one day folder, sorted. */
    List<String> protectedNames(String folder) throws SQLException {
        return db.read(c -> {
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

    private List<SegmentRow> queryRows(String sql, List<Object> args, QueryCancel cancel) throws SQLException {
        return db.read(c -> {
            List<SegmentRow> rows = new ArrayList<>();
            try (PreparedStatement p = Sql.prepare(c, sql, args)) {
                cancel.running(p);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        cancel.check();
                        rows.add(SegmentRow.read(rs, cameraKeys));
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

    /** Appends {@code camera IN (...) AND} (nothing for every camera). */
    static void appendCameras(StringBuilder sql, List<Object> args, List<Integer> cams) {
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
    boolean appendSelection(StringBuilder sql, List<Object> args, SegmentSelection sel) {
        List<Integer> cams = cameraKeys.keys(sel.cameras());
        if (!sel.cameras().isEmpty() && cams.isEmpty()) {
            return false;
        }
        long from = Sql.millis(sel.from());
        long to = Sql.millis(sel.to());
        sql.append(" AND");
        appendCameras(sql, args, cams);
        sql.append(" start_ms >= ? AND start_ms < ? AND end_ms > ?");
        args.addAll(List.of(Sql.saturatedMinus(from, maxDurationMs), to, from));
        return true;
    }
}
