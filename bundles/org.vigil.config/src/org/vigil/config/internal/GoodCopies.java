package org.vigil.config.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.sqlite.SQLiteConnection;

/**
 * Recent good copies of {@code config.db} in {@code config.db.copies/} beside it: one written with
 * {@code VACUUM INTO} after every committed change (and at opening), the newest {@value #KEEP} kept, named
 * {@code config-<yyyyMMdd-HHmmss-SSS UTC>-<n>.db}. When the database is found damaged, the newest copy that opens and
 * passes the integrity check takes its place: at most the change being made when it broke is lost.
 */
final class GoodCopies {
    static final String FOLDER = "config.db.copies";
    /** Copies kept: the newest may be from the moment a disk started failing. */
    static final int KEEP = 3;
    private static final Logger LOG = System.getLogger(GoodCopies.class.getName());
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private GoodCopies() {
    }

    /** Opens a database file, or says it is damaged. */
    interface Opener {
        SQLiteConnection open(Path file) throws ConfigDatabase.Damaged, ConfigDatabaseException;
    }

    /** A good copy put in place of a damaged file: the open connection, where it came from and when it was made. */
    record Restored(SQLiteConnection connection, Path from, String when) {
    }

    /** The good copies of {@code file}, newest first. */
    static List<Path> list(Path file) {
        Path dir = file.resolveSibling(FOLDER);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("config-")
                    && p.getFileName().toString().endsWith(".db"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** True when the newest copy is at least as new as the file (and its write-ahead log). */
    static boolean isCurrent(Path file) {
        List<Path> copies = list(file);
        if (copies.isEmpty()) {
            return false;
        }
        try {
            long copy = Files.getLastModifiedTime(copies.get(0)).toMillis();
            long changed = Files.getLastModifiedTime(file).toMillis();
            Path wal = ConfigDatabase.sibling(file, "-wal");
            if (Files.exists(wal)) {
                changed = Math.max(changed, Files.getLastModifiedTime(wal).toMillis());
            }
            return copy >= changed;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes an intact copy of what {@code connection} has committed, synced, then drops all but the newest. */
    static void write(SQLiteConnection connection, Path file, long sequence) throws SQLException, IOException {
        Path dir = file.resolveSibling(FOLDER);
        String name = "config-" + STAMP.format(Instant.now()) + "-" + String.format("%06d", sequence) + ".db";
        Path tmp = dir.resolve("." + name + ".tmp");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Files.deleteIfExists(tmp);
            try (Statement st = connection.createStatement()) {
                st.execute("VACUUM INTO '" + tmp.toString().replace("'", "''") + "'");
            }
            Files.setPosixFilePermissions(tmp, ConfigDatabase.OWNER_ONLY);
            sync(tmp);
            ConfigDatabase.move(tmp, dir.resolve(name));
            syncFolder(dir);
            List<Path> all = list(file);
            for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) {
                Files.deleteIfExists(old);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Puts the newest intact good copy in place of {@code target} (the damaged file was moved away) and opens it;
     * copies that turn out damaged are skipped and left where they are.
     */
    static Optional<Restored> restoreNewest(Path target, Opener opener) {
        for (Path copy : list(target)) {
            Path tmp = ConfigDatabase.sibling(target, ".restoring");
            try {
                Files.copy(copy, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(tmp, ConfigDatabase.OWNER_ONLY);
                sync(tmp);
                ConfigDatabase.move(tmp, target);
                syncFolder(target.getParent());
                return Optional.of(new Restored(opener.open(target), copy, madeAt(copy)));
            } catch (ConfigDatabase.Damaged | IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "The good copy {0} of the settings cannot be used ({1}); trying an older one.",
                        copy, e.getMessage());
                try {
                    Files.deleteIfExists(target);
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next attempt replaces them
                }
            }
        }
        return Optional.empty();
    }

    /** When a copy was made, from its name: {@code 2026-12-07 16:50:01}. */
    static String madeAt(Path copy) {
        String n = copy.getFileName().toString();
        if (n.length() < 26) {
            return n;
        }
        return n.substring(7, 11) + "-" + n.substring(11, 13) + "-" + n.substring(13, 15) + " " + n.substring(16, 18)
                + ":" + n.substring(18, 20) + ":" + n.substring(20, 22);
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a folder; the file itself is complete
        }
    }
}
