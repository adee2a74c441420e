package org.vigil.storage.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Small SQL and time helpers shared by the catalog's classes. */
final class Sql {
    static final long FAR_PAST = -(1L << 52);
    static final long FAR_FUTURE = 1L << 52;

    private Sql() {
    }

    /** A statement with its arguments bound in order (Integer, Long, else text). */
    static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
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

    /** The first column of the first row of a query, or {@code fallback}. */
    static long queryLong(Connection c, String sql, long fallback) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : fallback;
        }
    }

    /** Milliseconds of an instant, saturated to the catalog's range (far past and far future stay comparable). */
    static long millis(Instant t) {
        if (t.getEpochSecond() > FAR_FUTURE / 1000) {
            return FAR_FUTURE;
        }
        if (t.getEpochSecond() < FAR_PAST / 1000) {
            return FAR_PAST;
        }
        return t.toEpochMilli();
    }

    static long saturatedMinus(long a, long b) {
        return Math.max(FAR_PAST, a - b);
    }

    /** The day key of a start time in {@code zone}: YYYYMMDD as a number. */
    static int dayOf(ZoneId zone, long startMs) {
        LocalDate d = LocalDate.ofInstant(Instant.ofEpochMilli(startMs), zone);
        return d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth();
    }
}
