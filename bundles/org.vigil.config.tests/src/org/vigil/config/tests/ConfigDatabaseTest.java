package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.config.internal.ConfigDatabase;
import org.vigil.config.internal.ConfigDatabaseException;
import org.vigil.config.internal.Migrations;
import org.vigil.config.internal.StoredValue;

/** The database file itself: creation, pragmas, migrations, damaged and foreign files, writes, failures. */
class ConfigDatabaseTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-26T04:13:00Z"), ZoneOffset.UTC);

    @TempDir
    Path temp;

    @Test
    void aNewDatabaseIsOwnerOnlyWithWalFullSyncAndForeignKeys() throws Exception {
        Path file = temp.resolve("data/config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            assertEquals(Migrations.LATEST, db.schemaVersion());
            assertEquals("wal", db.queryText("PRAGMA journal_mode"));
            assertEquals("2", db.queryText("PRAGMA synchronous"), "synchronous=FULL");
            assertEquals("1", db.queryText("PRAGMA foreign_keys"));
            db.store("a", null, props("k", "v"));
            for (String name : List.of("config.db", "config.db-wal", "config.db-shm")) {
                Path p = file.resolveSibling(name);
                assertTrue(Files.exists(p), name);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), name);
            }
        }
    }

    @Test
    void loosePermissionsOfAnExistingFileAreTightened() throws Exception {
        Path file = temp.resolve("config.db");
        ConfigDatabase.open(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigDatabase.open(file).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anEmptyFileIsMigratedToTheLatestSchema() throws Exception {
        Path file = Files.createFile(temp.resolve("config.db"));
        long t0 = System.nanoTime();
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[measure] create and migrate an empty config.db to schema " + Migrations.LATEST
                    + ": " + ms + " ms");
            assertEquals(0, db.openedAtVersion());
            assertEquals(Migrations.LATEST, db.schemaVersion());
            assertEquals(String.valueOf(Migrations.LATEST), db.queryText("SELECT count(*) FROM schema_history"));
            assertEquals(String.valueOf(0x5647434E), db.queryText("PRAGMA application_id"));
        }
        assertFalse(Files.exists(temp.resolve("config.db.before-schema-" + Migrations.LATEST)),
                "no copy is kept of an empty database");
    }

    @Test
    void everyEarlierSchemaIsMigratedKeepingItsSettingsAndACopy() throws Exception {
        for (int version = 1; version < Migrations.LATEST; version++) {
            Path file = temp.resolve("v" + version + "/config.db");
            try (ConfigDatabase old = ConfigDatabase.open(file, version, CLOCK)) {
                assertEquals(version, old.schemaVersion());
                old.store("org.vigil.camera~front", "org.vigil.camera", props("id", "front", "name", "Front door"));
                old.store("org.vigil.retention", null, props("maxAgeDays", 30));
            }
            long t0 = System.nanoTime();
            try (ConfigDatabase db = ConfigDatabase.open(file)) {
                System.out.println("[measure] migrate config.db from schema " + version + " to " + Migrations.LATEST
                        + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                assertEquals(version, db.openedAtVersion());
                assertEquals(Migrations.LATEST, db.schemaVersion());
                Map<String, ConfigDatabase.StoredConfiguration> all = db.loadAll();
                assertEquals("Front door", all.get("org.vigil.camera~front").properties().get("name").decode());
                assertEquals("org.vigil.camera", all.get("org.vigil.camera~front").factoryPid());
                assertEquals(30, all.get("org.vigil.retention").properties().get("maxAgeDays").decode());
            }
            Path copy = file.resolveSibling("config.db.before-schema-" + Migrations.LATEST);
            assertTrue(Files.exists(copy), "a copy of the file before the migration is kept");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
            try (ConfigDatabase before = ConfigDatabase.open(copy, version, CLOCK)) {
                assertEquals(version, before.schemaVersion());
            }
        }
    }

    @Test
    void openingADatabaseOfAHundredCamerasIsQuick() throws Exception {
        Path file = temp.resolve("config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            for (int i = 0; i < 100; i++) {
                db.store("org.vigil.camera~cam" + i, "org.vigil.camera", props("id", "cam" + i, "name", "Camera " + i,
                        "url", "rtsp://user:pw@10.0.0." + i + "/stream1", "codec", "auto", "record", true, "enabled",
                        true, "transport", "tcp", "reconnectMinSeconds", 1, "reconnectMaxSeconds", 30,
                        "watchdogSeconds", 5, "segmentSeconds", 60));
            }
        }
        long t0 = System.nanoTime();
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            int n = db.loadAll().size();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[measure] open (integrity check included) and read " + n + " cameras: " + ms
                    + " ms, file " + Files.size(file) / 1024 + " KiB");
            assertEquals(100, n);
            assertTrue(ms < 5_000, ms + " ms");
        }
    }

    @Test
    void aNewerSchemaIsRefusedAndTheFileLeftUnchanged() throws Exception {
        Path file = temp.resolve("config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            db.store("a", null, props("k", "v"));
            db.execute("PRAGMA user_version = " + (Migrations.LATEST + 1));
        }
        String before = digest(file);
        List<String> namesBefore = names(temp);
        List<String> copiesBefore = names(temp.resolve(ConfigDatabase.COPIES));
        ConfigDatabaseException e = assertThrows(ConfigDatabaseException.class, () -> ConfigDatabase.open(file));
        assertTrue(e.getMessage().contains("schema version " + (Migrations.LATEST + 1)), e.getMessage());
        assertTrue(e.getMessage().contains("newer Vigil"), e.getMessage());
        assertTrue(e.getMessage().contains("left unchanged"), e.getMessage());
        assertEquals(before, digest(file));
        assertEquals(namesBefore, names(temp), "nothing moved aside or created");
        assertEquals(copiesBefore, names(temp.resolve(ConfigDatabase.COPIES)), "no copy made");
    }

    @Test
    void aFileThatIsNotADatabaseIsSavedAsideAndReplacedWithOneWarning() throws Exception {
        Path file = temp.resolve("config.db");
        byte[] garbage = "this is not an SQLite database, it is a text file someone put here\n".repeat(100)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, garbage);
        List<LogRecord> warnings = new ArrayList<>();
        try (ConfigDatabase db = captureWarnings(warnings, () -> ConfigDatabase.open(file, Migrations.LATEST,
                CLOCK))) {
            Path saved = db.damagedCopy().orElseThrow();
            assertEquals("config.db.damaged-20251126-041300", saved.getFileName().toString());
            assertArrayEquals(garbage, Files.readAllBytes(saved), "the damaged file is kept as it was");
            assertEquals(Migrations.LATEST, db.schemaVersion());
            assertTrue(db.loadAll().isEmpty());
            db.store("a", null, props("k", "v"));
            assertEquals(1, warnings.size(), "one warning");
            String message = java.text.MessageFormat.format(warnings.get(0).getMessage(),
                    warnings.get(0).getParameters());
            assertTrue(message.contains(saved.toString()), message);
        }
    }

    /** Overwrites every other page of {@code file} past the first few, as a failing disk would. */
    private static void damage(Path file) throws Exception {
        long size = Files.size(file);
        assertTrue(size > 8 * 4096, "several pages: " + size);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long page = 2; page * 4096 < size; page += 2) {
                raf.seek(page * 4096 + 8);
                raf.write(new byte[200]);
            }
        }
    }

    private static void cameras(ConfigDatabase db, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            db.store("org.vigil.camera~cam" + i, "org.vigil.camera", props("id", "cam" + i, "name",
                    "Camera number " + i + " ".repeat(100)));
        }
    }

    @Test
    void aDatabaseFailingTheIntegrityCheckIsSavedAsideAndItsNewestGoodCopyRestored() throws Exception {
        Path file = temp.resolve("config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            cameras(db, 0, 200);
        }
        long size = Files.size(file);
        damage(file);
        List<LogRecord> warnings = new ArrayList<>();
        try (ConfigDatabase db = captureWarnings(warnings, () -> ConfigDatabase.open(file, Migrations.LATEST,
                CLOCK))) {
            assertTrue(db.damagedCopy().isPresent(), "moved aside");
            assertEquals(size, Files.size(db.damagedCopy().get()), "the damaged file is kept as it was");
            assertEquals(200, db.loadAll().size(), "every camera is back, the last change included");
            assertTrue(db.load("org.vigil.camera~cam199").isPresent(), "the last camera stored");
            String incident = db.incident().orElseThrow();
            assertTrue(incident.contains(db.damagedCopy().get().toString()), incident);
            assertTrue(incident.contains("restored from " + file.resolveSibling(ConfigDatabase.COPIES)), incident);
            assertEquals(1, warnings.size(), "one warning: " + warnings.stream().map(LogRecord::getMessage).toList());
            db.store("after", null, props("k", "v"));
        }
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            assertTrue(db.incident().isEmpty(), "the restored database is intact");
            assertEquals(201, db.loadAll().size());
        }
    }

    @Test
    void aDamagedNewestCopyIsSkippedForTheOneBeforeIt() throws Exception {
        Path file = temp.resolve("config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            cameras(db, 0, 150);
            cameras(db, 150, 151); // the newest copy holds cam150, the one before it does not
        }
        Path copies = file.resolveSibling(ConfigDatabase.COPIES);
        List<String> kept = names(copies);
        assertEquals(3, kept.size(), "the newest three copies are kept: " + kept);
        Path newest = copies.resolve(kept.get(kept.size() - 1));
        damage(file);
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
            raf.seek(0);
            raf.write("not a database any more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            assertEquals(150, db.loadAll().size(), "the copy before the last change");
            assertTrue(db.load("org.vigil.camera~cam150").isEmpty());
            assertTrue(db.incident().orElseThrow().contains("restored from " + copies.resolve(kept.get(kept.size()
                    - 2))), db.incident().orElseThrow());
        }
    }

    @Test
    void withNoGoodCopyTheIncidentSaysSettingsStartedEmpty() throws Exception {
        Path file = temp.resolve("config.db");
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            cameras(db, 0, 100);
        }
        damage(file);
        for (Path copy : names(file.resolveSibling(ConfigDatabase.COPIES)).stream()
                .map(n -> file.resolveSibling(ConfigDatabase.COPIES).resolve(n)).toList()) {
            Files.delete(copy);
        }
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            assertTrue(db.loadAll().isEmpty());
            String incident = db.incident().orElseThrow();
            assertTrue(incident.contains("no good copy") && incident.contains("vigil config import"), incident);
        }
    }

    @Test
    void anotherProgramsDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path file = temp.resolve("config.db");
        try (Connection c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recipes (name TEXT)");
        }
        String before = digest(file);
        ConfigDatabaseException e = assertThrows(ConfigDatabaseException.class, () -> ConfigDatabase.open(file));
        assertTrue(e.getMessage().contains("not a Vigil configuration database"), e.getMessage());
        assertEquals(before, digest(file));
    }

    @Test
    void onlyChangedRowsAreWritten() throws Exception {
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            assertEquals(4, db.store("p", null, props("a", "1", "b", 2, "c", true)), "1 configuration + 3 properties");
            assertEquals(0, db.store("p", null, props("a", "1", "b", 2, "c", true)), "nothing changed");
            assertEquals(2, db.store("p", null, props("a", "1", "b", 3, "c", true)), "the property + the time");
            assertEquals(2, db.store("p", null, props("a", "1", "b", 3)), "one property removed + the time");
            assertEquals(2, db.store("p", null, props("a", "1", "b", 3L)), "a type change is a change");
            assertEquals(3, db.delete("p"));
            assertEquals(0, db.delete("p"));
            assertFalse(db.exists("p"));
            assertEquals(13, db.rowsWritten());
        }
    }

    @Test
    void everyConfigurationAdminValueTypeRoundTrips() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("string", "rtsp://user:pa;ss@host/x?y=1");
        values.put("empty", "");
        values.put("int", 42);
        values.put("long", Long.MAX_VALUE);
        values.put("float", 0.1f);
        values.put("double", -1.0 / 3);
        values.put("byte", (byte) -7);
        values.put("short", (short) 300);
        values.put("char", 'é');
        values.put("bool", false);
        values.put("bigint", new BigInteger("123456789012345678901234567890"));
        values.put("bigdec", new BigDecimal("1.50"));
        values.put("strings", new String[] { "a", "b,c", "" });
        values.put("ints", new int[] { 1, -2 });
        values.put("booleans", new boolean[] { true, false });
        values.put("longObjects", new Long[] { 1L, null });
        values.put("list", new ArrayList<>(List.of("x", "y")));
        values.put("emptyList", new ArrayList<String>());
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            Map<String, StoredValue> stored = new TreeMap<>();
            values.forEach((k, v) -> stored.put(k, StoredValue.encode(k, v)));
            db.store("types", null, stored);
        }
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            Map<String, StoredValue> back = db.load("types").orElseThrow().properties();
            for (Map.Entry<String, Object> e : values.entrySet()) {
                Object decoded = back.get(e.getKey()).decode();
                if (!(e.getValue() instanceof List)) {
                    assertEquals(e.getValue().getClass(), decoded.getClass(), e.getKey());
                }
                assertTrue(Objects.deepEquals(e.getValue(), decoded), e.getKey() + ": " + decoded);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> StoredValue.encode("x", new Object()));
    }

    @Test
    void aFullDiskRefusesTheChangeAndKeepsThePreviousSettings() throws Exception {
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            db.store("org.vigil.camera~front", "org.vigil.camera", props("id", "front", "name", "Front door"));
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            // the database may not grow by a single page: what a full disk looks like to SQLite
            db.execute("PRAGMA max_page_count = " + db.queryText("PRAGMA page_count"));
            ConfigDatabaseException e = assertThrows(ConfigDatabaseException.class, () -> db.store(
                    "org.vigil.camera~front", "org.vigil.camera", props("id", "front", "name", "x".repeat(100_000))));
            assertTrue(e.getMessage().startsWith("The settings could not be saved: the disk holding"), e.getMessage());
            assertTrue(e.getMessage().contains("is full"), e.getMessage());
            assertTrue(e.getMessage().endsWith("the previous settings are unchanged."), e.getMessage());
            assertEquals("Front door", db.load("org.vigil.camera~front").orElseThrow().properties().get("name")
                    .decode());
            db.execute("PRAGMA max_page_count = 1073741823");
            db.store("org.vigil.camera~front", "org.vigil.camera", props("id", "front", "name", "Door"));
        }
    }

    @Test
    void aReadOnlyDatabaseRefusesTheChangeAndKeepsThePreviousSettings() throws Exception {
        try (ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"))) {
            db.store("p", null, props("a", "1"));
            db.execute("PRAGMA query_only = 1");
            ConfigDatabaseException e = assertThrows(ConfigDatabaseException.class,
                    () -> db.store("p", null, props("a", "2")));
            assertTrue(e.getMessage().contains("cannot be written (read-only file or disk)"), e.getMessage());
            assertEquals("1", db.load("p").orElseThrow().properties().get("a").decode());
        }
    }

    @Test
    void closeIsIdempotentAndLaterUseSaysWhy() throws Exception {
        ConfigDatabase db = ConfigDatabase.open(temp.resolve("config.db"));
        db.close();
        db.close();
        assertTrue(db.isClosed());
        ConfigDatabaseException e = assertThrows(ConfigDatabaseException.class, () -> db.store("p", null, props()));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    static Map<String, StoredValue> props(Object... keyValues) {
        Map<String, StoredValue> m = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], StoredValue.encode((String) keyValues[i], keyValues[i + 1]));
        }
        return m;
    }

    private static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    interface Opener {
        ConfigDatabase open() throws Exception;
    }

    private static ConfigDatabase captureWarnings(List<LogRecord> into, Opener opener) throws Exception {
        Logger logger = Logger.getLogger(ConfigDatabase.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    into.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(h);
        try {
            return opener.open();
        } finally {
            logger.removeHandler(h);
        }
    }
}
