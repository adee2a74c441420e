package org.vigil.storage.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code camera} table in memory: a camera's name and its integer key (segment and run rows store the key). A key
 * made inside a transaction is remembered only once that transaction committed ({@link #remember}).
 */
final class CameraKeys {
    private final Map<String, Integer> keys = new ConcurrentHashMap<>();
    private final Map<Integer, String> names = new ConcurrentHashMap<>();

    void load(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM camera")) {
            while (rs.next()) {
                keys.put(rs.getString(2), rs.getInt(1));
                names.put(rs.getInt(1), rs.getString(2));
            }
        }
    }

    /** The key of a known camera, or null. */
    Integer key(String name) {
        return keys.get(name);
    }

    /** The name of a key, or null. */
    String name(int key) {
        return names.get(key);
    }

    /** Every known key. */
    List<Integer> all() {
        return new ArrayList<>(names.keySet());
    }

    /** The keys of the known cameras among {@code cameras}, sorted (unknown names are left out). */
    List<Integer> keys(Set<String> cameras) {
        List<Integer> result = new ArrayList<>();
        for (String name : cameras) {
            Integer k = keys.get(name);
            if (k != null) {
                result.add(k);
            }
        }
        result.sort(null);
        return result;
    }

    /** The key of a camera, created in the current transaction when new (noted in {@code created}). */
    int keyIn(Connection c, String name, Map<String, Integer> created) throws SQLException {
        Integer key = keys.get(name);
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

    /** Remembers the keys made by a committed transaction. */
    void remember(Map<String, Integer> created) {
        created.forEach((n, k) -> {
            keys.put(n, k);
            names.put(k, n);
        });
    }
}
