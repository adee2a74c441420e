package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.codec.Container;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.testing.Await;

/**
 * Volume identity: the recordings disk is mounted at the root (a bind mount of a folder standing for the disk). When it
 * is unmounted the mount point is an empty folder on the system disk; when another disk is mounted it has another
 * identity. Either way recording refuses to write there, the status says why, and nothing in the catalog is lost.
 */
class VolumeTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    @Test
    void anUnmountedOrSwappedDiskIsRefusedAndTheRightOneResumes() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("volume");
        Path diskA = Files.createDirectories(dir.resolve("diskA"));
        Path diskB = Files.createDirectories(dir.resolve("diskB"));
        Files.writeString(diskB.resolve(".vigil-volume"), "id=someone-elses-disk\n");
        Path root = Files.createDirectories(dir.resolve("mnt/recordings"));
        Instant day = LocalDate.now(Fixture.ZONE).minusDays(3).atTime(9, 0).atZone(Fixture.ZONE).toInstant();
        try (Mounts mounts = new Mounts()) {
            mounts.bind(diskA, root);
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, Fixture.retention(0, 0), true)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().state() == StorageState.READY));
                String volume = f.store.status().volumeId().orElseThrow();
                assertTrue(Files.readString(diskA.resolve(".vigil-volume")).contains(volume));
                f.record("v1", day, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
                f.record("v1", day.plusSeconds(4), Duration.ofSeconds(4), Media.FRAGMENTED, 100);
                f.flush();

                mounts.unmount(root);
                assertTrue(Await.until(Duration.ofSeconds(10),
                        () -> f.store.status().state() == StorageState.VOLUME_MISSING), f.store.status().toString());
                assertTrue(f.store.status().reason().orElseThrow().contains("not mounted"),
                        f.store.status().reason().orElseThrow());
                StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                        () -> f.store.reserveSegment("v1", Instant.now(), Container.MP4));
                assertEquals(StorageState.VOLUME_MISSING, e.state());
                try (java.util.stream.Stream<Path> entries = Files.list(root)) { // closed: it holds the directory open
                    assertEquals(0, entries.count(), "nothing was written on the empty mount point");
                }
                Job<CheckReport> check = f.store.check(true);
                assertTrue(check.await(Duration.ofSeconds(10)));
                assertEquals(JobState.FAILED, check.state(), "a repair against an absent disk is refused");
                assertEquals(0, f.store.runNow().toCompletableFuture().get(10, TimeUnit.SECONDS).deleted());
                assertEquals(2, segments(f), "the catalog kept every row");

                mounts.bind(diskB, root);
                assertTrue(Await.until(Duration.ofSeconds(10),
                        () -> f.store.status().state() == StorageState.WRONG_VOLUME), f.store.status().toString());
                assertTrue(f.store.status().reason().orElseThrow().contains("someone-elses-disk"));
                assertThrows(StorageUnavailableException.class,
                        () -> f.store.reserveSegment("v1", Instant.now(), Container.MP4));
                mounts.unmount(root);

                mounts.bind(diskA, root);
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().state() == StorageState.READY));
                assertEquals(2, segments(f));
                f.store.reserveSegment("v1", Instant.now(), Container.MP4);
                f.assertConsistent();

                // a deliberate change of disk: adopt B, whose recordings are not those of the catalog
                mounts.unmount(root);
                mounts.bind(diskB, root);
                Job<CheckReport> adopt = f.store.adoptVolume();
                assertTrue(adopt.await(Duration.ofSeconds(30)));
                assertEquals(JobState.SUCCEEDED, adopt.state());
                assertEquals("someone-elses-disk", f.store.refreshStatus().volumeId().orElseThrow());
                assertEquals(StorageState.READY, f.store.status().state());
                assertEquals(0, segments(f));
            }
        }
        TestDirs.deleteTree(dir);
    }

    private static int segments(Fixture f) {
        return f.store.segments(SegmentQuery.of("v1", Instant.EPOCH, Instant.now().plusSeconds(60))).items().size();
    }
}
