package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.SQLiteConfig;
import org.vigil.api.codec.Container;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.storage.internal.catalog.CatalogSchemaException;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * The catalog's schema goes through ordered migrations. A catalog written by the code before migrations (schema 1,
 * made here with that code's own DDL, with recordings on disk, protections, a garbage row and a retention limit) opens
 * through the storage service with every row kept and is brought to the newest schema; a catalog of a newer Vigil is
 * refused in one sentence and not touched; a step that fails is rolled back and leaves the catalog as it was.
 */
class CatalogMigrationTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    /** The DDL of the catalog as the code before migrations created it (schema 1), verbatim. */
    private static final List<String> SCHEMA_1 = List.of(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "CREATE TABLE camera (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
            "CREATE TABLE segment ( id INTEGER PRIMARY KEY, camera INTEGER NOT NULL REFERENCES camera(id),"
                    + " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL CHECK (end_ms >= start_ms),"
                    + " day INTEGER NOT NULL, path TEXT NOT NULL UNIQUE, bytes INTEGER NOT NULL,"
                    + " frames INTEGER NOT NULL, codec TEXT NOT NULL, state INTEGER NOT NULL,"
                    + " protected INTEGER NOT NULL DEFAULT 0)",
            "CREATE INDEX segment_camera_start ON segment(camera, start_ms)",
            "CREATE INDEX segment_start ON segment(start_ms)",
            "CREATE INDEX segment_protected ON segment(camera, start_ms) WHERE protected = 1",
            "CREATE TABLE run (id INTEGER PRIMARY KEY, camera INTEGER NOT NULL, start_ms INTEGER NOT NULL,"
                    + " end_ms INTEGER NOT NULL)",
            "CREATE INDEX run_camera_end ON run(camera, end_ms)",
            "CREATE TABLE day_summary (camera INTEGER NOT NULL, day INTEGER NOT NULL, segments INTEGER NOT NULL,"
                    + " bytes INTEGER NOT NULL, duration_ms INTEGER NOT NULL, PRIMARY KEY (camera, day))"
                    + " WITHOUT ROWID",
            "CREATE TABLE garbage (path TEXT PRIMARY KEY, bytes INTEGER NOT NULL, since_ms INTEGER NOT NULL)"
                    + " WITHOUT ROWID",
            "CREATE TABLE retention_limit (camera TEXT PRIMARY KEY, max_age_s INTEGER, max_bytes INTEGER)"
                    + " WITHOUT ROWID",
            "CREATE TRIGGER segment_added AFTER INSERT ON segment BEGIN INSERT INTO day_summary (camera, day,"
                    + " segments, bytes, duration_ms) VALUES (NEW.camera, NEW.day, 1, NEW.bytes,"
                    + " NEW.end_ms - NEW.start_ms) ON CONFLICT (camera, day) DO UPDATE SET segments = segments + 1,"
                    + " bytes = bytes + excluded.bytes, duration_ms = duration_ms + excluded.duration_ms; END",
            "CREATE TRIGGER segment_removed AFTER DELETE ON segment BEGIN UPDATE day_summary SET segments ="
                    + " segments - 1, bytes = bytes - OLD.bytes, duration_ms = duration_ms - (OLD.end_ms -"
                    + " OLD.start_ms) WHERE camera = OLD.camera AND day = OLD.day; DELETE FROM day_summary WHERE"
                    + " camera = OLD.camera AND day = OLD.day AND segments <= 0; END",
            "CREATE TRIGGER segment_changed AFTER UPDATE OF start_ms, end_ms, day, bytes ON segment BEGIN"
                    + " UPDATE day_summary SET segments = segments - 1, bytes = bytes - OLD.bytes, duration_ms ="
                    + " duration_ms - (OLD.end_ms - OLD.start_ms) WHERE camera = OLD.camera AND day = OLD.day;"
                    + " DELETE FROM day_summary WHERE camera = OLD.camera AND day = OLD.day AND segments <= 0;"
                    + " INSERT INTO day_summary (camera, day, segments, bytes, duration_ms) VALUES (NEW.camera,"
                    + " NEW.day, 1, NEW.bytes, NEW.end_ms - NEW.start_ms) ON CONFLICT (camera, day) DO UPDATE SET"
                    + " segments = segments + 1, bytes = bytes + excluded.bytes, duration_ms = duration_ms +"
                    + " excluded.duration_ms; END",
            "PRAGMA user_version = 1");

    /** One recording of the old catalog: camera, start, 4 s long, protected or not. */
    private record Old(String camera, Instant start, boolean isProtected) {
        Instant end() {
            return start.plusSeconds(4);
        }
    }

    private static final LocalDate DAY = LocalDate.now(Fixture.ZONE).minusDays(2);
    private static final Instant NINE = DAY.atTime(9, 0).atZone(Fixture.ZONE).toInstant();

    /** Front: three recordings back to back, a minute's gap, three more; two protected. Yard: two. */
    private static final List<Old> OLD = List.of(
            new Old("front", NINE, false),
            new Old("front", NINE.plusSeconds(4), true),
            new Old("front", NINE.plusSeconds(8), false),
            new Old("front", NINE.plusSeconds(72), false),
            new Old("front", NINE.plusSeconds(76), true),
            new Old("front", NINE.plusSeconds(80), false),
            new Old("yard", NINE.plusSeconds(2), false),
            new Old("yard", NINE.plusSeconds(6), false));

    private static final String GARBAGE = "front/" + DAY.toString().replace("-", "") + "/085500.mp4";

    private static Connection connect(Path file) throws SQLException {
        return new SQLiteConfig().createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    private static String relative(Old o) {
        return SegmentPaths.segment(o.camera(), LocalDateTime.ofInstant(o.start(), Fixture.ZONE), Container.MP4, 0);
    }

    /**
     * The data folder as the code before migrations left it: the recordings on disk (hard links of one real
     * recording), the protection lists beside them, and {@code catalog.db} at schema 1 (WAL, as that code opened it)
     * with a row for each, the runs and day summaries that code kept, a garbage row and a retention limit.
     */
    private static void oldDataFolder(Path dataDir) throws Exception {
        Path root = dataDir.resolve("recordings");
        Path media = Media.get(Media.FRAGMENTED);
        long size = Files.size(media);
        Path catalog = dataDir.resolve(CatalogStore.FILE_NAME);
        try (Connection c = connect(catalog); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            c.setAutoCommit(false);
            for (String sql : SCHEMA_1) {
                s.execute(sql);
            }
            s.execute("INSERT INTO meta (key, value) VALUES ('zone', '" + Fixture.ZONE.getId() + "')");
            s.execute("INSERT INTO camera (id, name) VALUES (1, 'front'), (2, 'yard')");
            int day = DAY.getYear() * 10000 + DAY.getMonthValue() * 100 + DAY.getDayOfMonth();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO segment (camera, start_ms, end_ms, day, path,"
                    + " bytes, frames, codec, state, protected) VALUES (?, ?, ?, ?, ?, ?, 100, 'h264', 0, ?)")) {
                Map<String, List<String>> protectedNames = new TreeMap<>();
                for (Old o : OLD) {
                    String rel = relative(o);
                    Path file = root.resolve(rel);
                    Files.createDirectories(file.getParent());
                    Files.createLink(file, media);
                    p.setInt(1, o.camera().equals("front") ? 1 : 2);
                    p.setLong(2, o.start().toEpochMilli());
                    p.setLong(3, o.end().toEpochMilli());
                    p.setInt(4, day);
                    p.setString(5, rel);
                    p.setLong(6, size);
                    p.setInt(7, o.isProtected() ? 1 : 0);
                    p.executeUpdate();
                    if (o.isProtected()) {
                        protectedNames.computeIfAbsent(rel.substring(0, rel.lastIndexOf('/')), k -> new ArrayList<>())
                                .add(rel.substring(rel.lastIndexOf('/') + 1));
                    }
                }
                for (Map.Entry<String, List<String>> e : protectedNames.entrySet()) {
                    Files.write(root.resolve(e.getKey()).resolve(SegmentPaths.PROTECTED_LIST), e.getValue());
                }
            }
            long nine = NINE.toEpochMilli();
            s.execute("INSERT INTO run (camera, start_ms, end_ms) VALUES (1, " + nine + ", " + (nine + 12_000)
                    + "), (1, " + (nine + 72_000) + ", " + (nine + 84_000) + "), (2, " + (nine + 2_000) + ", "
                    + (nine + 10_000) + ")");
            s.execute("INSERT INTO garbage (path, bytes, since_ms) VALUES ('" + GARBAGE + "', 1234, " + nine + ")");
            s.execute("INSERT INTO retention_limit (camera, max_age_s, max_bytes) VALUES ('yard', 604800, NULL)");
            c.commit();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static long queryLong(Path file, String sql) throws SQLException {
        try (Connection c = connect(file); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** The schema version the code gives a new catalog: the newest it knows. */
    private static int newestSchema() throws Exception {
        Path dir = TestDirs.fresh("catalog-new");
        try (CatalogStore store = CatalogStore.open(dir.resolve(CatalogStore.FILE_NAME), Fixture.ZONE,
                dir.resolve("recordings"))) {
            assertEquals(0, store.openedAtVersion(), "a new catalog");
            return store.schemaVersion();
        } finally {
            TestDirs.deleteTree(dir);
        }
    }

    /** One sentence for a user: no line break, no Java exception text, ends with a full stop. */
    private static void assertOneSentence(String message) {
        assertFalse(message.contains("\n"), message);
        assertFalse(message.contains("Exception") || message.contains("\tat "), message);
        assertTrue(message.endsWith("."), message);
        assertEquals(1, message.split("\\. ").length, "one sentence: " + message);
    }

    @Test
    void aCatalogOfTheCodeBeforeMigrationsOpensWithEveryRowAndProtectionKept() throws Exception {
        int newest = newestSchema();
        assertTrue(newest > 1, "the schema went on after the code before migrations");
        Path dir = TestDirs.fresh("catalog-old");
        oldDataFolder(dir);
        Path catalog = dir.resolve(CatalogStore.FILE_NAME);
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            CatalogStore store = f.store.store();
            assertEquals(1, store.openedAtVersion(), "the file was at schema 1");
            assertEquals(newest, store.schemaVersion(), "and is now at the newest schema");

            for (String camera : List.of("front", "yard")) {
                List<Segment> segments = f.store.segments(SegmentQuery.of(camera, NINE.minusSeconds(3600),
                        NINE.plusSeconds(3600)).withLimit(100)).items();
                List<Old> expected = OLD.stream().filter(o -> o.camera().equals(camera)).toList();
                assertEquals(expected.size(), segments.size(), camera + ": every row kept");
                for (int i = 0; i < expected.size(); i++) {
                    Old o = expected.get(i);
                    Segment s = segments.get(i);
                    assertEquals(relative(o), s.relativePath(), camera + " " + i);
                    assertEquals(o.start(), s.start(), camera + " " + i);
                    assertEquals(o.end(), s.end(), camera + " " + i);
                    assertEquals(o.isProtected(), s.isProtected(), camera + " " + i + ": protection kept");
                    assertEquals(Files.size(f.root.resolve(s.relativePath())), s.bytes(), camera + " " + i);
                }
            }
            List<DayCoverage> days = f.store.days(Set.of("front"));
            assertEquals(1, days.size(), days.toString());
            assertEquals(DAY, days.get(0).day());
            assertEquals(6, days.get(0).segments(), "the day summary kept");
            assertEquals(Duration.ofSeconds(24), days.get(0).recorded());
            List<long[]> runs = store.runs("front");
            assertEquals(2, runs.size(), "the runs (coverage with its gap) kept");
            assertEquals(NINE.plusSeconds(72).toEpochMilli(), runs.get(1)[0]);
            assertEquals(List.of(GARBAGE), store.garbage().stream().map(CatalogStore.GarbageRow::path).toList(),
                    "a deletion half-done stays to be finished");
            assertEquals(new CameraLimits(Optional.of(Duration.ofDays(7)), OptionalLong.empty()),
                    store.limits().get("yard"), "the retention limit kept");

            // the migrated schema is alive: a new recording is catalogued and counted
            f.record("front", NINE.plusSeconds(84), Duration.ofSeconds(4), Media.FRAGMENTED, 100);
            f.flush();
            assertEquals(7, f.store.days(Set.of("front")).get(0).segments());
            assertEquals(2, store.runs("front").size(), "the new recording joined the second run");
        }
        assertEquals(newest, queryLong(catalog, "PRAGMA user_version"), "user_version records the step");
        try (Stream<Path> s = Files.list(dir)) {
            Path copy = s.filter(p -> p.getFileName().toString().startsWith(CatalogStore.FILE_NAME + ".before-schema-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no copy kept before the schema update"));
            assertEquals(1, queryLong(copy, "PRAGMA user_version"), "the copy is the catalog as it was");
            assertEquals(OLD.size(), queryLong(copy, "SELECT count(*) FROM segment"));
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aCatalogOfANewerVigilIsRefusedInOneSentenceAndNotTouched() throws Exception {
        Path dir = TestDirs.fresh("catalog-newer");
        Path catalog = dir.resolve(CatalogStore.FILE_NAME);
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            f.record("front", NINE, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
            f.flush();
        }
        int newer = newestSchema() + 1;
        try (Connection c = connect(catalog); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + newer);
        }
        String before = sha256(catalog);
        Set<String> filesBefore = names(dir);

        CatalogSchemaException e = assertThrows(CatalogSchemaException.class,
                () -> Fixture.open(dir, scheduler, jobs).close());
        assertOneSentence(e.getMessage());
        assertTrue(e.getMessage().contains(catalog.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains("newer Vigil"), "says what is wrong: " + e.getMessage());
        assertTrue(e.getMessage().contains("run that version again, or move the file away"),
                "says what to do: " + e.getMessage());

        assertEquals(before, sha256(catalog), "the catalog's bytes are unchanged");
        assertEquals(filesBefore, names(dir), "nothing was added or removed beside it");
        assertEquals(newer, queryLong(catalog, "PRAGMA user_version"));
        TestDirs.deleteTree(dir);
    }

    @Test
    void aStepThatFailsIsRolledBackAndSaysSo() throws Exception {
        Path dir = TestDirs.fresh("catalog-conflict");
        oldDataFolder(dir);
        Path catalog = dir.resolve(CatalogStore.FILE_NAME);
        // a table of the next step's name with another shape (as another tool could have left it)
        try (Connection c = connect(catalog); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_history (version TEXT, note TEXT)");
            s.execute("INSERT INTO schema_history VALUES ('one', 'made by hand')");
        }
        String before = sha256(catalog);

        CatalogSchemaException e = assertThrows(CatalogSchemaException.class,
                () -> Fixture.open(dir, scheduler, jobs).close());
        assertOneSentence(e.getMessage());
        assertTrue(e.getMessage().contains("could not be brought to schema version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("left as it was, at version 1"), e.getMessage());
        assertTrue(e.getMessage().contains("move it away"), "says what to do: " + e.getMessage());

        assertEquals(before, sha256(catalog), "the catalog's bytes are unchanged");
        assertEquals(1, queryLong(catalog, "PRAGMA user_version"), "still at schema 1");
        assertEquals(0, queryLong(catalog, "PRAGMA application_id"), "the step's first statement was rolled back");
        assertEquals(OLD.size(), queryLong(catalog, "SELECT count(*) FROM segment"), "every row still there");
        assertEquals(1, queryLong(catalog, "SELECT count(*) FROM schema_history WHERE note = 'made by hand'"),
                "the conflicting table as it was");
        TestDirs.deleteTree(dir);
    }
}
