package org.vigil.storage.internal.catalog;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;

/**
 * Coverage queries: recorded days and per-day totals (from the {@code day_summary} table that triggers keep), hours
 * with their gaps (from the run index), totals per camera, and the sums retention decides with (bytes of a camera,
 * bytes of every unprotected segment, what a limit would delete). Summaries keep these cheap with millions of rows.
 */
final class CoverageQueries {
    private final CatalogDatabase db;
    private final CameraKeys cameraKeys;
    private final ZoneId zone;

    CoverageQueries(CatalogDatabase db, CameraKeys cameraKeys, ZoneId zone) {
        this.db = db;
        this.cameraKeys = cameraKeys;
        this.zone = zone;
    }

    private String nameOf(int key) {
        String name = cameraKeys.name(key);
        return name != null ? name : "?";
    }

    List<DayCoverage> days(Set<String> cameras, QueryCancel cancel) throws SQLException {
        List<Integer> cams = cameraKeys.keys(cameras);
        if (!cameras.isEmpty() && cams.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT day, sum(segments), sum(bytes), sum(duration_ms)"
                + " FROM day_summary");
        List<Object> args = new ArrayList<>();
        if (!cams.isEmpty()) {
            sql.append(" WHERE ");
            SegmentQueries.appendCameras(sql, args, cams);
            sql.setLength(sql.length() - " AND".length());
        }
        sql.append(" GROUP BY day ORDER BY day");
        return db.read(c -> {
            List<DayCoverage> result = new ArrayList<>();
            try (PreparedStatement p = Sql.prepare(c, sql.toString(), args)) {
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
    List<HourCoverage> hours(String camera, Instant fromInstant, Instant toInstant, QueryCancel cancel)
            throws SQLException {
        long from = Sql.millis(fromInstant);
        long to = Sql.millis(toInstant);
        if (to <= from) {
            return List.of();
        }
        if (to - from > Duration.ofDays(400).toMillis()) {
            throw new IllegalArgumentException("A timeline covers at most 400 days; ask for a shorter range.");
        }
        Integer cam = cameraKeys.key(camera);
        List<long[]> runs = new ArrayList<>();
        if (cam != null) {
            db.read(c -> {
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

    List<CameraTotals> totals(QueryCancel cancel) throws SQLException {
        return db.read(c -> {
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
                    result.add(new CameraTotals(nameOf(e.getKey()), v[0], v[1],
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

    List<String> cameras() throws SQLException {
        return db.read(c -> {
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
    long bytesOf(String camera) throws SQLException {
        Integer cam = cameraKeys.key(camera);
        if (cam == null) {
            return 0;
        }
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT coalesce(sum(bytes), 0) FROM day_summary"
                    + " WHERE camera = ?")) {
                p.setInt(1, cam);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * Bytes of every unprotected catalogued segment: the most that retention could ever free. From the day summaries
     * and the (partial) index of protected segments, so it stays cheap with millions of rows.
     */
    long unprotectedBytes() throws SQLException {
        return db.read(c -> Sql.queryLong(c, "SELECT (SELECT coalesce(sum(bytes), 0) FROM day_summary) - (SELECT"
                + " coalesce(sum(bytes), 0) FROM segment INDEXED BY segment_protected WHERE protected = 1)", 0));
    }

    /**
     * What retention would delete of one camera under a maximum age and size, as retention deletes (unprotected
     * segments only, oldest first): those ended by {@code endedBy}, then the oldest until the camera's bytes
     * (protected included) are at most {@code maxBytes}. {segments, bytes, recorded ms, first start, last end};
     * the last two are {@link Long#MIN_VALUE} when nothing would go.
     */
    long[] wouldDelete(String camera, long endedBy, long maxBytes) throws SQLException {
        Integer cam = cameraKeys.key(camera);
        if (cam == null) {
            return new long[] {0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE};
        }
        long excess = Math.max(0, bytesOf(camera) - maxBytes);
        return db.read(c -> {
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

    long segmentCount() throws SQLException {
        return db.read(c -> Sql.queryLong(c, "SELECT coalesce(sum(segments), 0) FROM day_summary", 0));
    }
}
