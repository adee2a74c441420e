package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentState;
import org.vigil.testing.Await;

/** {@code vigil storage import}: a tree in the old application's layout, copied, moved or catalogued in place. */
class ImportTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    private static CheckReport result(Job<CheckReport> job) throws Exception {
        assertTrue(job.await(Duration.ofSeconds(60)));
        return job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(60))
                .withLimit(10_000)).items();
    }

    /** The old application's tree: valid recordings, old-style names, and things that are not recordings. */
    private static Path oldTree(Path dir) throws Exception {
        Path old = dir.resolve("old");
        Path day = Files.createDirectories(old.resolve("cam1/20250301"));
        Files.copy(Media.get(Media.PLAIN), day.resolve("101500.mp4"));
        Files.copy(Media.get(Media.FRAGMENTED), day.resolve("cam1_20250301_101510.mp4"));
        Files.write(day.resolve("broken.mp4"), new byte[4096]);
        Files.copy(Media.get(Media.PLAIN), Files.createDirectories(old.resolve("Cam 2/20250301")).resolve("x.mp4"));
        Files.copy(Media.get(Media.PLAIN), Files.createDirectories(old.resolve("cam1/misc")).resolve("x.mp4"));
        return old;
    }

    @Test
    void anOldTreeIsCopiedInFileByFileAndCatalogued() throws Exception {
        Path dir = TestDirs.fresh("import");
        Path old = oldTree(dir);
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            CheckReport r = result(f.store.importTree(old, false));
            assertEquals(2, r.catalogued(), r.details().toString());
            assertEquals(1, r.unplayable());
            assertTrue(r.details().stream().anyMatch(d -> d.contains("'Cam 2' is not a valid camera id")));
            assertTrue(r.details().stream().anyMatch(d -> d.contains("misc") && d.contains("not a day folder")));
            List<Segment> segs = all(f, "cam1");
            assertEquals(2, segs.size());
            LocalDate d = LocalDate.of(2025, 3, 1);
            assertEquals(d.atTime(10, 15, 0).atZone(Fixture.ZONE).toInstant(), segs.get(0).start());
            assertEquals(Duration.ofSeconds(10), segs.get(0).duration());
            assertEquals(250, segs.get(0).frames());
            assertEquals(d.atTime(10, 15, 10).atZone(Fixture.ZONE).toInstant(), segs.get(1).start(),
                    "an old-style name gives its time too");
            assertTrue(segs.stream().allMatch(s -> s.state() == SegmentState.IMPORTED));
            assertTrue(Files.exists(old.resolve("cam1/20250301/101500.mp4")), "a copy leaves the source alone");

            CheckReport again = result(f.store.importTree(old, false));
            assertEquals(0, again.catalogued(), "what is imported is skipped the next time");
            f.assertConsistent();

            Path moving = Files.createDirectories(dir.resolve("old2/cam4/20250302"));
            Files.copy(Media.get(Media.FRAGMENTED), moving.resolve("120000.mp4"));
            assertEquals(1, result(f.store.importTree(dir.resolve("old2"), true)).catalogued());
            assertFalse(Files.exists(moving.resolve("120000.mp4")), "--move moves");
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aCancelledImportKeepsWhatItFinishedAndLeavesNoTemporaryFile() throws Exception {
        Path dir = TestDirs.fresh("import");
        Path day = Files.createDirectories(dir.resolve("big/cam5/20250303"));
        for (int i = 0; i < 400; i++) {
            Files.createLink(day.resolve(String.format("%02d%02d00.mp4", i / 60, i % 60)), Media.get(Media.PLAIN));
        }
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            Job<CheckReport> job = f.store.importTree(dir.resolve("big"), false);
            assertTrue(Await.until(Duration.ofSeconds(60), () -> job.progress().done() >= 20 || job.state()
                    .isFinished()));
            job.cancel();
            assertTrue(job.await(Duration.ofSeconds(10)));
            assertEquals(JobState.CANCELLED, job.state());
            int imported = all(f, "cam5").size();
            assertTrue(imported >= 20 && imported < 400, imported + " imported");
            try (Stream<Path> s = Files.walk(f.root)) {
                assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".partial")).count());
            }
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aTreeAlreadyUnderTheRootIsCataloguedInPlace() throws Exception {
        Path dir = TestDirs.fresh("import");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            Path day = Files.createDirectories(f.root.resolve("cam6/20250304"));
            Files.copy(Media.get(Media.H265), day.resolve("070000.mp4"));
            CheckReport r = result(f.store.importTree(f.root, false));
            assertEquals(1, r.catalogued());
            Segment s = all(f, "cam6").get(0);
            assertEquals(SegmentState.IMPORTED, s.state());
            assertEquals(org.vigil.api.camera.Codec.H265, s.codec());
            assertEquals(day.resolve("070000.mp4"), s.path(), "in place: nothing was copied");
        }
        TestDirs.deleteTree(dir);
    }
}
