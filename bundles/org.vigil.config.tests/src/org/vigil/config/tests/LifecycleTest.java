package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.ConfigDatabase;
import org.vigil.config.internal.ConfigStorage;

/**
 * The database is closed on every way Vigil stops (seed S2) and survives being killed while it writes. The child-JVM
 * tests run a real Felix framework with Vigil's bundles and look at its open files from outside.
 */
class LifecycleTest {
    /** The system bundle's context: the test's own bundle (the host of this fragment) is stopped here. */
    private BundleContext context;

    @TempDir
    Path temp;

    private final List<ServiceTracker<?, ?>> trackers = new java.util.ArrayList<>();

    @Test
    void stoppingTheBundleClosesTheDatabaseAndStartingItReopensIt() throws Exception {
        Bundle config = FrameworkUtil.getBundle(ConfigStorage.class);
        SettingsService settings = await(SettingsService.class);
        settings.saveCamera(CameraConfig.of("lifecycle", "Lifecycle", "rtsp://10.0.0.1/s"));
        Path file = await(ConfigStorage.class).file();
        assertFalse(OpenFiles.ofThisProcess(file).isEmpty(), "open while running");
        assertEquals(1, OpenFiles.mainFile(OpenFiles.ofThisProcess(file), file));

        config.stop();
        try {
            assertEquals(List.of(), OpenFiles.ofThisProcess(file), "no handle on config.db after the bundle stopped");
            assertFalse(Files.exists(ConfigDatabaseTestFiles.wal(file)), "the WAL was checkpointed and removed");
        } finally {
            config.start();
        }
        SettingsService again = await(SettingsService.class);
        assertEquals("Lifecycle", again.camera("lifecycle").orElseThrow().name());
        assertEquals(1, OpenFiles.mainFile(OpenFiles.ofThisProcess(file), file));
        again.removeCamera("lifecycle");
    }

    @Test
    void stoppingTheFrameworkOrUpdatingTheBundleLeavesNoHandleOpen() throws Exception {
        Path data = temp.resolve("data");
        Path file = data.resolve(ConfigDatabase.FILE_NAME);
        try (ChildVm vm = ChildVm.start(context, data, temp.resolve("work"))) {
            vm.run("write 10", Duration.ofSeconds(30));
            assertEquals(1, OpenFiles.mainFile(OpenFiles.of(vm.pid(), file), file), "one connection while running");

            vm.run("update-bundle org.vigil.config", Duration.ofSeconds(60));
            assertEquals(1, OpenFiles.mainFile(OpenFiles.of(vm.pid(), file), file),
                    "after a bundle update the old connection is closed and one new one is open");
            vm.run("write 5", Duration.ofSeconds(30));

            vm.run("stop-bundle org.vigil.config", Duration.ofSeconds(30));
            assertEquals(List.of(), OpenFiles.of(vm.pid(), file), "bundle stopped");
            vm.run("start-bundle org.vigil.config", Duration.ofSeconds(60));
            assertEquals(1, OpenFiles.mainFile(OpenFiles.of(vm.pid(), file), file));

            vm.run("stop", Duration.ofSeconds(60));
            assertTrue(vm.process().isAlive(), "the JVM still runs: only the framework stopped");
            assertEquals(List.of(), OpenFiles.of(vm.pid(), file), "framework stopped");
            assertFalse(vm.log().contains("SEVERE"), vm.log());
        }
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            assertTrue(db.damagedCopy().isEmpty());
            assertEquals(5, db.loadAll().size(), "cam0..cam4");
        }
    }

    @Test
    void exitingTheJvmWithoutStoppingTheFrameworkStillClosesTheDatabase() throws Exception {
        Path data = temp.resolve("data");
        Path file = data.resolve(ConfigDatabase.FILE_NAME);
        try (ChildVm vm = ChildVm.start(context, data, temp.resolve("work"))) {
            vm.run("write 5", Duration.ofSeconds(30));
            assertTrue(Files.exists(ConfigDatabaseTestFiles.wal(file)), "the WAL is in use while running");
            vm.send("exit");
            assertTrue(vm.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(ConfigDatabaseTestFiles.wal(file)), "closed cleanly: the WAL was checkpointed");
    }

    @Test
    void afterAKillDuringAStreamOfWritesEveryCommittedChangeIsThere() throws Exception {
        Path data = temp.resolve("data");
        Path file = data.resolve(ConfigDatabase.FILE_NAME);
        Map<String, Long> committed = new HashMap<>();
        long writes;
        long t0;
        double seconds;
        try (ChildVm vm = ChildVm.start(context, data, temp.resolve("work"))) {
            vm.send("write 0");
            t0 = System.nanoTime();
            writes = 0;
            while (writes < 300) {
                String line = vm.expect("committed ", Duration.ofSeconds(30));
                record(committed, line);
                writes++;
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            vm.kill();
            for (String line : vm.remaining()) {
                if (line.startsWith("committed ")) {
                    record(committed, line);
                    writes++;
                }
            }
            assertFalse(vm.process().isAlive());
        }
        System.out.println("[measure] camera updates through Configuration Admin with synchronous=FULL: "
                + String.format("%.0f", 300 / seconds) + " per second; killed after " + writes + " committed");
        assertTrue(Files.exists(ConfigDatabaseTestFiles.wal(file)), "killed with the WAL in use");
        long t1 = System.nanoTime();
        try (ConfigDatabase db = ConfigDatabase.open(file)) {
            System.out.println("[measure] reopen after kill -9 (WAL recovery + integrity check): "
                    + (System.nanoTime() - t1) / 1_000_000 + " ms");
            assertTrue(db.damagedCopy().isEmpty(), "intact");
            assertEquals("ok", db.queryText("PRAGMA integrity_check"));
            for (Map.Entry<String, Long> e : committed.entrySet()) {
                String name = (String) db.load("org.vigil.camera~" + e.getKey()).orElseThrow().properties()
                        .get("name").decode();
                long stored = Long.parseLong(name.substring("Camera ".length()));
                assertTrue(stored >= e.getValue(), e.getKey() + ": committed " + e.getValue() + ", found " + stored);
            }
        }
        try (ChildVm vm = ChildVm.start(context, data, temp.resolve("work2"))) {
            vm.send("list");
            for (int i = 0; i < 5; i++) {
                String[] w = vm.expect("camera ", Duration.ofSeconds(10)).split(" ", 3);
                long n = Long.parseLong(w[2].substring("Camera ".length()));
                assertTrue(n >= committed.get(w[1]), w[1]);
            }
        }
    }

    @Test
    void aDamagedDatabaseIsSavedAsideAndTheRecorderStillStarts() throws Exception {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path file = data.resolve(ConfigDatabase.FILE_NAME);
        Files.writeString(file, "garbage, not a database\n".repeat(1000));
        try (ChildVm vm = ChildVm.start(context, data, temp.resolve("work"))) {
            vm.run("add front", Duration.ofSeconds(30));
            vm.send("list");
            assertEquals("camera front Camera front", vm.expect("camera ", Duration.ofSeconds(10)));
            List<Path> saved;
            try (Stream<Path> s = Files.list(data)) {
                saved = s.filter(p -> p.getFileName().toString().startsWith("config.db.damaged-")).toList();
            }
            assertEquals(1, saved.size(), "saved aside");
            String log = vm.log();
            assertEquals(1, log.lines().filter(l -> l.contains("was damaged")).count(), log);
            assertTrue(log.contains(saved.get(0).toString()), "the warning names the saved file: " + log);
            assertEquals("garbage, not a database\n".repeat(1000), Files.readString(saved.get(0)));
        }
    }

    private static void record(Map<String, Long> committed, String line) {
        String[] w = line.split(" ");
        committed.merge(w[1], Long.parseLong(w[2]), Math::max);
    }

    private <T> T await(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(context, type, null);
        t.open();
        trackers.add(t);
        T s = t.waitForService(10_000);
        if (s == null) {
            throw new AssertionError(type.getSimpleName() + " did not come back");
        }
        return s;
    }

    @BeforeEach
    void systemContext() {
        context = FrameworkUtil.getBundle(LifecycleTest.class).getBundleContext().getBundle(0).getBundleContext();
    }

    @AfterEach
    void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
    }

    /** Names of a database's companion files. */
    static final class ConfigDatabaseTestFiles {
        private ConfigDatabaseTestFiles() {
        }

        static Path wal(Path file) {
            return file.resolveSibling(file.getFileName() + "-wal");
        }
    }
}
