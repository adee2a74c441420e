package org.vigil.storage.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The run index: the {@code run} table holds each camera's continuous runs (segments closer than
 * {@link CatalogStore#CONTIGUITY_MS} joined), so that timelines and gaps are read from a few rows instead of every
 * segment. It is kept in step with the segment table inside the same write transaction ({@link Batch}: merged on
 * insert, split or trimmed on removal) and can be rebuilt from the segments ({@link #rebuild}, a repair).
 */
final class RunIndex {
    private final CatalogDatabase db;
    private final CameraKeys cameras;
    private final LongSupplier maxDurationMs;

    RunIndex(CatalogDatabase db, CameraKeys cameras, LongSupplier maxDurationMs) {
        this.db = db;
        this.cameras = cameras;
        this.maxDurationMs = maxDurationMs;
    }

    /** The run statements on a writer connection inside a transaction; close it before the transaction ends. */
    Batch batch(Connection c) throws SQLException {
        return new Batch(c);
    }

    /** Segments of several cameras were removed (their rows are already gone): their runs follow. */
    void removed(Batch batch, List<SegmentRow> removed) throws SQLException {
        Map<String, List<SegmentRow>> byCamera = new LinkedHashMap<>();
        for (SegmentRow r : removed) {
            byCamera.computeIfAbsent(r.camera(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<SegmentRow>> e : byCamera.entrySet()) {
            Integer cam = cameras.key(e.getKey());
            if (cam != null) {
                batch.removed(cam, e.getValue());
            }
        }
    }

    /** Rebuilds the run table from the segments (a repair). */
    void rebuild() throws SQLException {
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM run");
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT start_ms, end_ms FROM segment INDEXED BY segment_camera_start WHERE camera = ?"
                            + " ORDER BY start_ms");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO run (camera, start_ms, end_ms) VALUES (?, ?, ?)")) {
                for (int cam : cameras.all()) {
                    q.setInt(1, cam);
                    long s = 0;
                    long e = 0;
                    boolean open = false;
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            long a = rs.getLong(1);
                            long b = rs.getLong(2);
                            if (open && a <= e + CatalogStore.CONTIGUITY_MS) {
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

    /** Runs of a camera as {start, end} pairs, for checks and tests. */
    List<long[]> runs(String camera) throws SQLException {
        Integer cam = cameras.key(camera);
        if (cam == null) {
            return List.of();
        }
        return db.read(c -> {
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

    private static void insertRun(PreparedStatement ins, int cam, long s, long e) throws SQLException {
        ins.setInt(1, cam);
        ins.setLong(2, s);
        ins.setLong(3, e);
        ins.executeUpdate();
    }

    /** The run table's statements for one transaction: merges on insert, splits or trims on removal. */
    final class Batch implements AutoCloseable {
        private final PreparedStatement overlapping;
        private final PreparedStatement insert;
        private final PreparedStatement update;
        private final PreparedStatement delete;
        private final PreparedStatement lastBefore;
        private final PreparedStatement maxEndBetween;
        private final PreparedStatement startingBetween;
        private final PreparedStatement firstAfter;

        private Batch(Connection c) throws SQLException {
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
            long near = CatalogStore.CONTIGUITY_MS;
            List<long[]> touching = overlapping(cam, s - near, e + near);
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
                    long from = Math.max(runStart, last - maxDurationMs.getAsLong());
                    Long leftEnd = single(maxEndBetween, cam, from, wlo);
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
                if (tail != null && p[0] <= tail[1] + CatalogStore.CONTIGUITY_MS) {
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
}
