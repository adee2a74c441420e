package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.codec.Container;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.RetentionReport;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.testing.Await;

/**
 * Retention by age, by size and by free space, emergency mode, and a full disk, on real small file systems (tmpfs).
 * Segments come from a {@link SegmentSource}: synthetic recordings now; when the camera recorder lands, a demo camera
 * recording at a high bit rate plugs in there and the same assertions hold.
 */
class RetentionTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    /** What produces segments during a test. */
    interface SegmentSource {
        /** Records {@code n} more segments, announced closed through the storage service's listener. */
        void record(int n) throws Exception;
    }

    /** Segments as a recorder writes them: reserved, written (a real recording), announced; one every 4 s of time. */
    static SegmentSource synthetic(Fixture f, String camera, Instant start, Duration length) {
        Instant[] clock = {start};
        return n -> {
            for (int i = 0; i < n; i++) {
                f.record(camera, clock[0], length, Media.FRAGMENTED, 100);
                clock[0] = clock[0].plus(length);
            }
            f.flush();
        };
    }

    private static RetentionReport run(Fixture f) throws Exception {
        return f.store.runNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static List<Segment> all(Fixture f, String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(86400))
                .withLimit(10_000)).items();
    }

    private static boolean noGarbage(Fixture f) {
        try {
            return f.store.store().garbage().isEmpty();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void olderThanTheCamerasMaximumAgeGoesExceptWhatIsProtected() throws Exception {
        Path dir = TestDirs.fresh("retention");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            Instant sixDays = LocalDate.now(Fixture.ZONE).minusDays(6).atTime(9, 0).atZone(Fixture.ZONE).toInstant();
            Instant fiveDays = sixDays.plus(Duration.ofDays(1));
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
            f.bulk("ra", sixDays, 10, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("ra", fiveDays, 10, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("ra", hourAgo, 10, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.bulk("rb", sixDays, 5, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            assertEquals(2, f.store.setProtected(SegmentSelection.of("ra", fiveDays, fiveDays.plusSeconds(90)), true));
            f.store.setCameraLimits("ra", new CameraLimits(Optional.of(Duration.ofDays(2)), OptionalLong.empty()));

            run(f); // setting the limit asked for a run already; this one comes after it
            List<Segment> left = all(f, "ra");
            assertEquals(12, left.size());
            assertTrue(left.subList(0, 2).stream().allMatch(Segment::isProtected));
            assertTrue(left.subList(2, 12).stream().allMatch(s -> s.start().isAfter(hourAgo.minusSeconds(1))));
            assertEquals(5, all(f, "rb").size(), "a camera without limits keeps its recordings");
            String sixDayFolder = "ra/" + LocalDate.ofInstant(sixDays, Fixture.ZONE).toString().replace("-", "");
            assertFalse(Files.exists(f.root.resolve(sixDayFolder)), "the emptied day folder is gone");
            f.assertConsistent();
            assertEquals(0, run(f).deleted(), "nothing more to do");
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aCameraOverItsMaximumSizeLosesItsOldestSegments() throws Exception {
        Path dir = TestDirs.fresh("retention");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            long size = Files.size(Media.get(Media.FRAGMENTED));
            Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS);
            f.bulk("rs", t, 12, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
            f.store.setCameraLimits("rs", new CameraLimits(Optional.empty(), OptionalLong.of(5 * size + size / 2)));
            run(f);
            assertTrue(f.store.lastRun().isPresent());
            List<Segment> left = all(f, "rs");
            assertEquals(5, left.size());
            assertEquals(t.plus(Duration.ofMinutes(7)), left.get(0).start(), "the newest five stay");
            f.store.setCameraLimits("rs", CameraLimits.NONE);
            assertTrue(f.store.cameraLimits().isEmpty());
            f.assertConsistent();
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void lowFreeSpaceOnASmallDiskDeletesTheOldestUntilTwoPointsAboveTheMinimum() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("retention");
        Path root = Files.createDirectories(dir.resolve("disk"));
        try (Mounts mounts = new Mounts()) {
            mounts.tmpfs(root, "64m");
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, Fixture.retention(0, 4L << 20), false)) {
                Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
                SegmentSource source = synthetic(f, "rf", start, Duration.ofSeconds(60));
                source.record(4);
                f.store.setProtected(SegmentSelection.of("rf", start, start.plusSeconds(120)), true);
                while (f.plugin.space(root).freePercent() > 20) {
                    source.record(1);
                }
                int before = all(f, "rf").size();
                f.store.retentionSettings(new RetentionSettings(30, 2, Duration.ofSeconds(1), 4L << 20,
                        Duration.ofMinutes(10)));
                run(f); // the settings change already asked for a run: this one comes after it
                SpaceInfo space = f.plugin.space(root);
                List<Segment> left = all(f, "rf");
                int deleted = before - left.size();
                assertTrue(deleted > 0, "retention deleted for free space");
                assertTrue(space.freePercent() >= 32, "deleted until 30 + 2 % were free: " + space.freePercent());
                long segment = Files.size(Media.get(Media.FRAGMENTED));
                assertTrue(space.freeBytes() - segment < space.totalBytes() * 0.32 + segment,
                        "and not much more: " + space.freePercent());
                assertTrue(left.get(0).isProtected() && left.get(1).isProtected(), "protected segments stay");
                assertEquals(start.plusSeconds(120 + 60L * deleted), left.get(2).start(),
                        "the oldest unprotected went first");
                assertEquals(StorageState.READY, f.store.refreshStatus().state());
                f.assertConsistent();
            }
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void lessThanAnHourOfRecordingLeftIsAnEmergency() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("retention");
        Path root = Files.createDirectories(dir.resolve("disk"));
        try (Mounts mounts = new Mounts()) {
            mounts.tmpfs(root, "64m");
            RetentionSettings hour = new RetentionSettings(0, 2, Duration.ofHours(1), 2L << 20, Duration.ofMinutes(10));
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, hour, false)) {
                // each real segment claims one second: about 1 MB/s, so an hour never fits and half the disk is the goal
                SegmentSource source = synthetic(f, "re", Instant.now().minus(Duration.ofHours(1)),
                        Duration.ofSeconds(1));
                while (f.plugin.space(root).freeBytes() > (20L << 20)) {
                    source.record(1);
                }
                assertEquals(StorageState.EMERGENCY, f.store.refreshStatus().state(), "the status says so at once");
                run(f);
                assertTrue(f.store.lastRun().isPresent());
                SpaceInfo space = f.plugin.space(root);
                assertTrue(space.freeBytes() >= space.totalBytes() / 2, "emergency deletes until half the small"
                        + " disk is free: " + space.freeBytes());
                f.assertConsistent();
            }
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aFullDiskPausesRecordingAndRecordingResumesByItselfWhenSpaceReturns() throws Exception {
        Mounts.assumeRoot();
        Path dir = TestDirs.fresh("retention");
        Path root = Files.createDirectories(dir.resolve("disk"));
        try (Mounts mounts = new Mounts()) {
            mounts.tmpfs(root, "32m");
            try (Fixture f = Fixture.open(dir, root, scheduler, jobs, Fixture.retention(0, 8L << 20), true)) {
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().canRecord()));
                SegmentSource source = synthetic(f, "rx", Instant.now().minus(Duration.ofHours(1)),
                        Duration.ofSeconds(60));
                source.record(8);
                f.store.setProtected(SegmentSelection.of("rx", Instant.EPOCH, Instant.now()), true);

                // something else fills the disk: nothing Vigil may delete
                Path filler = root.resolve("filler.bin");
                long fill = f.plugin.space(root).freeBytes() - (4L << 20);
                Files.write(filler, new byte[(int) fill]);
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().state() == StorageState.FULL
                        && f.store.status().reason().orElse("").contains("nothing more can be deleted")),
                        f.store.status().toString());
                StorageUnavailableException refused = assertThrows(StorageUnavailableException.class,
                        () -> f.store.reserveSegment("rx", Instant.now(), Container.MP4));
                assertEquals(StorageState.FULL, refused.state());
                assertFalse(f.store.checkWrite("rx").allowed());

                // a segment that hit the full disk is abandoned: its partial file never gets a row
                f.store.setProtected(SegmentSelection.of("rx", Instant.EPOCH, Instant.now()), false);
                assertTrue(Await.until(Duration.ofSeconds(20), () -> f.store.status().canRecord()),
                        "retention freed space by deleting the now unprotected segments: " + f.store.status());
                SegmentReservation r = f.store.reserveSegment("rx", Instant.now(), Container.MP4);
                Files.write(r.path(), Files.readAllBytes(Media.truncated(Media.FRAGMENTED, 300_000, dir)));
                f.store.segmentAbandoned("rx", r.path(), "No space left on device");
                // done when the file is gone and its deletion is no longer pending (unlink, then the row goes)
                assertTrue(Await.until(Duration.ofSeconds(10), () -> !Files.exists(r.path())
                        && noGarbage(f)));

                // space comes back (the filler goes): recording resumes without anyone asking
                Files.delete(filler);
                assertTrue(Await.until(Duration.ofSeconds(10), () -> f.store.status().state() == StorageState.READY));
                f.store.reserveSegment("rx", Instant.now().plusSeconds(5), Container.MP4);
                f.assertConsistent();
            }
        }
        TestDirs.deleteTree(dir);
    }
}
