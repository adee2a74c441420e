package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
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
import org.vigil.api.storage.SegmentSelection;
import org.vigil.storage.internal.catalog.CatalogStore;

/**
 * Protection survives the loss of the catalog: it is kept beside the recordings too (a list per day folder), and a
 * repair that rebuilds the catalog from the disk protects them again and says how many. Unprotecting updates the list,
 * so a rebuild does not bring back a protection the user lifted.
 */
class ProtectionRebuildTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(86400))
                .withLimit(10_000)).items();
    }

    /** What the issue did: 4 KB of the catalog overwritten while Vigil was stopped. */
    private static void damage(Path catalog) throws IOException {
        try (FileChannel ch = FileChannel.open(catalog, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[4096]), 0);
        }
        for (String suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(catalog.resolveSibling(catalog.getFileName() + suffix));
        }
    }

    private static CheckReport repair(Fixture f) throws Exception {
        Job<CheckReport> job = f.store.check(true);
        assertTrue(job.await(Duration.ofSeconds(60)));
        assertEquals(JobState.SUCCEEDED, job.state());
        return job.result().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static long damagedCopies(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(CatalogStore.FILE_NAME + ".damaged-")).count();
        }
    }

    @Test
    void aRebuiltCatalogKeepsTheProtectionsAndSaysSo() throws Exception {
        Path dir = TestDirs.fresh("protection");
        Instant day = LocalDate.now(Fixture.ZONE).minusDays(3).atTime(9, 0).atZone(Fixture.ZONE).toInstant();
        Path catalog = dir.resolve(CatalogStore.FILE_NAME);
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            for (int i = 0; i < 4; i++) {
                f.record("evidence", day.plusSeconds(4L * i), Duration.ofSeconds(4), Media.FRAGMENTED, 100);
            }
            f.flush();
            assertEquals(2, f.store.setProtected(SegmentSelection.of("evidence", day.plusSeconds(4),
                    day.plusSeconds(12)), true));
        }
        damage(catalog);

        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            assertEquals(1, damagedCopies(dir), "the damaged catalog was set aside");
            assertEquals(0, all(f, "evidence").size(), "a new, empty catalog");
            CheckReport r = repair(f);
            assertEquals(4, r.catalogued(), r.summary());
            assertTrue(r.details().get(0).startsWith("restored the protection of 2 recordings"), r.details().toString());
            List<Segment> rebuilt = all(f, "evidence");
            assertEquals(List.of(false, true, true, false), rebuilt.stream().map(Segment::isProtected).toList());
            assertFalse(repair(f).foundProblems(), "a second repair has nothing left to do");

            // lifting one protection reaches the disk too
            assertEquals(1, f.store.setProtected(SegmentSelection.of("evidence", day.plusSeconds(4),
                    day.plusSeconds(6)), false));
        }
        damage(catalog);

        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            CheckReport r = repair(f);
            assertTrue(r.details().get(0).startsWith("restored the protection of 1 recording "),
                    r.details().toString());
            assertEquals(List.of(false, false, true, false),
                    all(f, "evidence").stream().map(Segment::isProtected).toList());
            assertTrue(r.details().stream().noneMatch(d -> d.contains("ignored")), "the list is not a stray file: "
                    + r.details());
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }
}
