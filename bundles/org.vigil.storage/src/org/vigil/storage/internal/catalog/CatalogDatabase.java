package org.vigil.storage.internal.catalog;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.sqlite.SQLiteConfig;

/**
 * The catalog's connections and transactions: one writer connection behind a lock ({@code BEGIN IMMEDIATE}, WAL,
 * {@code synchronous=FULL}) and a small pool of read-only connections for queries (WAL lets them read while the writer
 * writes). Until the pool is opened (while the catalog is being opened and migrated) reads go to the writer. Also the
 * {@code meta} table of settings. {@link #close()} checkpoints the WAL, is idempotent and never throws.
 */
final class CatalogDatabase implements AutoCloseable {
    private static final Logger LOG = System.getLogger(CatalogDatabase.class.getName());
    private static final int READERS = 3;
    private static final int BUSY_TIMEOUT_MS = 10_000;

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path file;
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean readersOpen;
    private volatile boolean closed;

    private CatalogDatabase(Path file, Connection writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Opens the writer connection on {@code file} (creating the file when missing); the readers come later. */
    static CatalogDatabase open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-16_000);
        return new CatalogDatabase(file, config.createConnection(url(file)));
    }

    static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** Opens the pool of read-only connections; from now on reads no longer wait for the writer. */
    void openReaders() throws SQLException {
        for (int i = 0; i < READERS; i++) {
            SQLiteConfig rc = new SQLiteConfig();
            rc.setReadOnly(true);
            rc.setBusyTimeout(BUSY_TIMEOUT_MS);
            rc.setCacheSize(-16_000);
            rc.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(256L << 20));
            Connection r = rc.createConnection(url(file));
            allReaders.add(r);
            readers.add(r);
        }
        readersOpen = true;
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in one write transaction (BEGIN IMMEDIATE ... COMMIT, rolled back on failure). */
    <T> T inTransaction(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            writer.setAutoCommit(false);
            boolean ok = false;
            try {
                T result = work.run(writer);
                writer.commit();
                ok = true;
                return result;
            } finally {
                if (!ok) {
                    try {
                        writer.rollback();
                    } catch (SQLException e) {
                        LOG.log(Level.WARNING, "Rolling back a catalog transaction failed: {0}", e.getMessage());
                    }
                }
                writer.setAutoCommit(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a read-only connection of the pool (on the writer while the catalog is being opened). */
    <T> T read(SqlWork<T> work) throws SQLException {
        ensureOpen();
        if (!readersOpen) {
            writeLock.lock();
            try {
                ensureOpen();
                return work.run(writer);
            } finally {
                writeLock.unlock();
            }
        }
        Connection c;
        try {
            c = readers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a catalog connection");
        }
        if (c == null) {
            throw new SQLException("No catalog connection became free within 30 s.");
        }
        try {
            ensureOpen();
            return work.run(c);
        } finally {
            readers.offer(c);
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("The recordings catalog is closed (Vigil is stopping).");
        }
    }

    /** A setting of the {@code meta} table; read through the pool, so that it never waits for a long write. */
    Optional<String> meta(String key) throws SQLException {
        return read(c -> meta(c, key));
    }

    static Optional<String> meta(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    void setMeta(String key, String value) throws SQLException {
        inTransaction(c -> {
            setMeta(c, key, value);
            return null;
        });
    }

    static void setMeta(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, value);
            p.executeUpdate();
        }
    }

    /** Closes every connection; a checkpoint folds the WAL into the database first. Idempotent, never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Connection r : allReaders) {
                closeQuietly(r);
            }
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                LOG.log(Level.DEBUG, "Checkpoint at close failed: {0}", e.getMessage());
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "Closing a catalog connection failed: {0}", e.getMessage());
        }
    }
}
