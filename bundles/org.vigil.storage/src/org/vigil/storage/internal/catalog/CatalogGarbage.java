package org.vigil.storage.internal.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The catalog's side of the deletion protocol (mark as garbage, unlink, sync the folder, forget): the {@code garbage}
 * table lists files whose rows are gone and that are about to be, or could not yet be, deleted. A row leaves the
 * segment table and enters the garbage table in one transaction, so a crash between the steps leaves either a
 * catalogued file or a garbage row, never a file nobody knows about.
 */
final class CatalogGarbage {
    private final CatalogDatabase db;
    private final RunIndex runIndex;

    CatalogGarbage(CatalogDatabase db, RunIndex runIndex) {
        this.db = db;
        this.runIndex = runIndex;
    }

    /**
     * Step one of the deletion protocol: in one transaction each row moves to the garbage table (its file still on
     * disk) and leaves the segment table. Returns the rows that were still catalogued.
     */
    List<SegmentRow> markGarbage(List<SegmentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        return db.inTransaction(c -> {
            List<SegmentRow> done = new ArrayList<>();
            try (PreparedStatement g = c.prepareStatement("INSERT INTO garbage (path, bytes, since_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (path) DO NOTHING");
                    PreparedStatement d = c.prepareStatement("DELETE FROM segment WHERE id = ?");
                    RunIndex.Batch runs = runIndex.batch(c)) {
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
                runIndex.removed(runs, done);
            }
            return done;
        });
    }

    /** Last step of the deletion protocol: the files are gone and their folders synced. */
    void forgetGarbage(Collection<String> paths) throws SQLException {
        if (paths.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
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
    void addGarbage(String path, long bytes) throws SQLException {
        db.inTransaction(c -> {
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

    List<CatalogStore.GarbageRow> garbage() throws SQLException {
        return db.read(c -> {
            List<CatalogStore.GarbageRow> result = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT path, bytes, since_ms FROM garbage ORDER BY path")) {
                while (rs.next()) {
                    result.add(new CatalogStore.GarbageRow(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return result;
        });
    }

    Set<String> garbagePaths() throws SQLException {
        Set<String> result = new HashSet<>();
        for (CatalogStore.GarbageRow g : garbage()) {
            result.add(g.path());
        }
        return result;
    }
}
