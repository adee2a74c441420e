package org.vigil.storage.internal.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import org.vigil.api.storage.CameraLimits;

/** The per-camera retention limits set with {@code vigil storage retention} (the {@code retention_limit} table). */
final class CatalogLimits {
    private final CatalogDatabase db;

    CatalogLimits(CatalogDatabase db) {
        this.db = db;
    }

    Map<String, CameraLimits> limits() throws SQLException {
        return db.read(c -> {
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

    void setLimits(String camera, CameraLimits limits) throws SQLException {
        db.inTransaction(c -> {
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
                    p.setNull(2, Types.INTEGER);
                }
                if (limits.maxBytes().isPresent()) {
                    p.setLong(3, limits.maxBytes().getAsLong());
                } else {
                    p.setNull(3, Types.INTEGER);
                }
                p.executeUpdate();
            }
            return null;
        });
    }
}
