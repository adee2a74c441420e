package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.codec.Container;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.RetentionReport;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.storage.internal.RetentionStatus;
import org.vigil.testing.Await;

/**
 * Retention for free space never deletes more than can restore recording. On a small real volume (tmpfs) filled by a
 * file that is not a recording: when even deleting every recording would not make room, the recordings stay,
 * recording pauses and {@code vigil status} alerts with how much space is needed; when deleting the oldest does make
 * room, only the oldest go (at most half of the history in one go) and recording resumes.
 */
class RetentionFloorTest {
    private static final long MB = 1L << 20;

    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(86400))
                .withLimit(10_000)).items();
    }

    /**
     * Something else fills the disk until {@code leave} bytes are free, in one step (fallocate: one system call), so
     * that the storage's checks never see the disk half filled and act on that (a loop of 1 MB writes let retention
     * delete recordings under load, correctly for the free space it saw then).
     */
    private static Path fill(Fixture f, Path root, long leave) throws IOException {
        Path filler = root.resolve("someone-elses-files.bin");
        long fill = f.plugin.space(root).freeBytes() - leave;
        Process p = new ProcessBuilder("fallocate", "-l", Long.toString(fill), filler.toString())
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("fallocate did not fill " + root + ": " + new String(p.getInputStream()
                        .readAllBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while filling " + root, e);
        } finally {
            p.destroyForcibly();
        }
        return filler;
    }

    @Test
    void whenDeletingEveryRecordingWouldNotMakeRoomTheRecordingsStayAndTheAlertSaysWhatIsNeeded() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("retention-floor");
        Path root = Files.createDirectories(dir.resolve("disk"));
        try (Mounts mounts = new Mounts()) {
            mounts.tmpfs(root, "32m");
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, Fixture.retention(0, 12 * MB), true)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().canRecord()));
                Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
                RetentionTest.synthetic(f, "keep", start, Duration.ofSeconds(60)).record(4);
                assertEquals(4, all(f, "keep").size());

                // 2 MB free, 12 MB needed to record: the four recordings (3.6 MB) cannot make the difference
                Path filler = fill(f, root, 2 * MB);
                assertTrue(Await.until(Duration.ofSeconds(20), () -> f.store.status().state() == StorageState.FULL
                        && f.store.status().reason().orElse("").contains("other files fill the disk")),
                        f.store.status().toString());
                RetentionReport r = f.store.runNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
                assertEquals(0, r.deleted(), "retention deleted nothing");
                assertTrue(r.problem().orElse("").contains("free at least"), r.problem().toString());
                assertEquals(4, all(f, "keep").size(), "the whole history stays");
                String reason = f.store.status().reason().orElseThrow();
                assertTrue(reason.contains("12.6 MB needed to record") && reason.contains("Recording is paused"),
                        reason);
                assertThrows(StorageUnavailableException.class,
                        () -> f.store.reserveSegment("keep", Instant.now(), Container.MP4));

                RetentionStatus section = new RetentionStatus(f.store);
                assertTrue(section.alerting(), "vigil status alerts");
                assertTrue(section.lines().get(0).contains("other files fill the disk"), section.lines().toString());
                assertEquals(Boolean.FALSE, section.data().get("ok"));

                // the other files go: recording resumes, the alert clears, nothing was lost
                Files.delete(filler);
                assertTrue(Await.until(Duration.ofSeconds(20), () -> f.store.status().canRecord()
                        && !section.alerting()), f.store.status().toString());
                assertEquals(4, all(f, "keep").size());
                f.store.reserveSegment("keep", Instant.now(), Container.MP4);
                f.assertConsistent();
            }
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void whenDeletingTheOldestMakesRoomOnlyTheOldestGoAndRecordingResumes() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("retention-floor");
        Path root = Files.createDirectories(dir.resolve("disk"));
        try (Mounts mounts = new Mounts()) {
            mounts.tmpfs(root, "32m");
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, Fixture.retention(0, 6 * MB), true)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().canRecord()));
                long segment = Files.size(Media.get(Media.FRAGMENTED));
                Instant start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
                RetentionTest.synthetic(f, "roll", start, Duration.ofSeconds(60)).record(16);
                long history = 16 * segment;

                // 3 MB free, 6 MB needed: the oldest few recordings make the room
                Path filler = fill(f, root, 3 * MB);
                assertTrue(Await.until(Duration.ofSeconds(30), () -> f.store.status().canRecord()
                        && f.store.lastRun().map(r -> r.deletedForSpace() > 0).orElse(false)),
                        f.store.status().toString());
                List<Segment> left = all(f, "roll");
                int deleted = 16 - left.size();
                assertTrue(deleted >= 4, "at least the 3 MB that were missing: " + deleted);
                assertTrue(deleted * segment <= history / 2 + segment, "at most half of the history: " + deleted);
                assertEquals(start.plusSeconds(60L * deleted), left.get(0).start(), "the oldest went first");
                assertTrue(f.plugin.space(root).freeBytes() >= 6 * MB);
                assertFalse(new RetentionStatus(f.store).alerting());
                f.store.reserveSegment("roll", Instant.now(), Container.MP4);
                Files.delete(filler);
                f.assertConsistent();
            }
        }
        TestDirs.deleteTree(dir);
    }
}
