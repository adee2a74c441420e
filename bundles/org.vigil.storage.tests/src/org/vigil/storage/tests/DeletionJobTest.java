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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.testing.Await;

/**
 * Deletion jobs (the seed's DeleteWorker): dry run, progress, cancel, a kill in the middle, and the service stopping
 * while one runs. Catalog and disk always agree afterwards.
 */
class DeletionJobTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    private static Instant nineAm(int daysAgo) {
        return LocalDate.now(Fixture.ZONE).minusDays(daysAgo).atTime(9, 0).atZone(Fixture.ZONE).toInstant();
    }

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(60))
                .withLimit(10_000)).items();
    }

    private static <T> T result(Job<T> job) throws Exception {
        assertTrue(job.await(Duration.ofSeconds(60)), "the job ended");
        return job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    @Test
    void aDryRunListsWhatWouldGoAndTheJobDeletesExactlyThat() throws Exception {
        Path dir = TestDirs.fresh("delete");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            Instant t = nineAm(10);
            f.bulk("d1", t, 60, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("d2", t, 60, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            Instant from = t.plus(Duration.ofMinutes(10));
            Instant to = t.plus(Duration.ofMinutes(20));
            f.store.setProtected(SegmentSelection.of("d1", from, from.plusSeconds(90)), true);
            SegmentSelection sel = SegmentSelection.of("d1", from, to);

            DeletionReport dry = result(f.store.delete(new DeletionRequest(sel, true)));
            assertTrue(dry.dryRun());
            assertEquals(8, dry.segments());
            assertEquals(2, dry.protectedKept());
            assertEquals(8, dry.listed().size());
            assertEquals(from.plus(Duration.ofMinutes(2)), dry.listed().get(0).start());
            assertEquals(60, all(f, "d1").size());

            List<JobProgress> progress = new CopyOnWriteArrayList<>();
            Job<DeletionReport> job = f.store.delete(new DeletionRequest(sel, false));
            job.onProgress(j -> progress.add(j.progress()));
            DeletionReport done = result(job);
            assertEquals(8, done.segments());
            assertEquals(8 * Files.size(Media.get(Media.FRAGMENTED)), done.bytes());
            assertEquals(52, all(f, "d1").size());
            assertEquals(60, all(f, "d2").size(), "another camera is untouched");
            for (Segment s : dry.listed()) {
                assertFalse(Files.exists(s.path()), s.relativePath());
            }
            assertEquals(JobState.SUCCEEDED, job.state());
            assertEquals(8, job.progress().done());
            assertTrue(job.id().startsWith("delete-"));
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void cancellingStopsBetweenFilesAndLeavesCatalogAndDiskConsistent() throws Exception {
        Path dir = TestDirs.fresh("delete");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            f.bulk("d3", nineAm(12), 3000, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            Job<DeletionReport> job = f.store.delete(new DeletionRequest(
                    SegmentSelection.of("d3", Instant.EPOCH, Instant.now()), false));
            assertTrue(Await.until(Duration.ofSeconds(30), () -> job.progress().done() >= 100));
            job.cancel();
            assertTrue(job.await(Duration.ofSeconds(5)), "a cancel takes effect within a batch");
            assertEquals(JobState.CANCELLED, job.state());
            int left = all(f, "d3").size();
            assertTrue(left > 0 && left <= 2900, "stopped part way: " + left + " left");
            assertEquals(3000 - left, job.progress().done(), "progress says what was deleted");
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aKillInTheMiddleLeavesOnlyWhatTheNextCheckFinishes() throws Exception {
        Path dir = TestDirs.fresh("delete");
        Fixture f = Fixture.open(dir, scheduler, jobs);
        f.bulk("d4", nineAm(14), 200, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        f.close();
        Process drill = ChildJvm.startAndAwait("MIDWAY", Duration.ofSeconds(60), "delete", dir.toString(),
                f.root.toString(), "d4", "37");
        ChildJvm.kill(drill);

        try (Fixture again = Fixture.open(dir, scheduler, jobs)) {
            int garbage = again.store.store().garbage().size();
            assertTrue(garbage > 0, "the kill came between unlinking and forgetting");
            int rows = all(again, "d4").size();
            assertTrue(rows < 200, "rows of the batch in hand are gone from the listing already");
            Job<CheckReport> check = again.store.check(true);
            CheckReport r = result(check);
            assertEquals(garbage, r.garbageFinished());
            assertEquals(0, r.rowsRemoved(), "no row ever lost its file");
            assertEquals(0, r.catalogued(), "no file ever lost its row");
            again.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void stoppingTheServiceLetsTheBatchInHandFinish() throws Exception {
        Path dir = TestDirs.fresh("delete");
        Fixture f = Fixture.open(dir, scheduler, jobs);
        f.bulk("d5", nineAm(16), 3000, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        Job<DeletionReport> job = f.store.delete(new DeletionRequest(
                SegmentSelection.of("d5", Instant.EPOCH, Instant.now()), false));
        assertTrue(Await.until(Duration.ofSeconds(30), () -> job.progress().done() >= 50));
        f.close(); // what stopping the framework does: @Deactivate
        assertTrue(job.state().isFinished(), "deactivation waited for the job");
        assertEquals(JobState.CANCELLED, job.state());
        try (Fixture again = Fixture.open(dir, scheduler, jobs)) {
            assertEquals(0, again.store.store().garbage().size(), "the batch in hand was finished");
            assertEquals(3000 - job.progress().done(), all(again, "d5").size());
            again.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }
}
