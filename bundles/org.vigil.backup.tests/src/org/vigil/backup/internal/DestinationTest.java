package org.vigil.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupRefusedException;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobState;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;

/**
 * The checks before a backup starts, on real file systems (a full tmpfs, a read-only one, a folder inside the
 * recordings), and a destination that disappears in the middle of a backup (a loop-mounted ext4 drive detached with
 * {@code umount -l}, as when a USB drive is pulled), then comes back.
 */
class DestinationTest {
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final Instant T0 = LocalDateTime.parse("2024-05-01T12:00:00").atZone(ZONE).toInstant();
    private static final List<Segment> SEGMENTS = new ArrayList<>();
    private static Segment big;
    private static final List<Path> FOLDERS = new ArrayList<>();

    @InjectService(timeout = 10000)
    BackupService backups;

    /** Camera dg-cam: two real recordings, one of 12 MiB (more than the small drive), one of 256 MiB. */
    @BeforeAll
    static void recordings(@InjectService(timeout = 10000) StorageService storage,
            @InjectService(timeout = 10000) SegmentListener listener,
            @InjectService(timeout = 10000) RecordingCatalog catalog) throws Exception {
        TestSupport.forget(storage, "dg-cam");
        Path media = TestSupport.media(4);
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "dg-cam", T0, Duration.ofSeconds(4), media));
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "dg-cam", T0.plusSeconds(60), Duration.ofSeconds(4),
                media));
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "dg-cam", T0.plusSeconds(120),
                Duration.ofSeconds(60), p -> TestSupport.bigFile(p, 12L << 20, 7)));
        big = TestSupport.record(storage, listener, catalog, "dg-cam", T0.plusSeconds(300), Duration.ofSeconds(600),
                p -> TestSupport.bigFile(p, 256L << 20, 8));
        SEGMENTS.add(big);
    }

    @AfterAll
    static void cleanUp(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        FOLDERS.forEach(TestSupport::deleteTree);
        TestSupport.forget(storage, "dg-cam");
    }

    private static Path folder(String name) throws Exception {
        Path p = TestSupport.newFolder(name);
        FOLDERS.add(p);
        return p;
    }

    private static BackupRequest request(Path dest) {
        return BackupRequest.everything(dest).withCameras(Set.of("dg-cam"));
    }

    /** Runs a backup that must be refused; returns the refusal. */
    private BackupRefusedException refused(BackupRequest request) throws Exception {
        Job<BackupReport> job = backups.backup(request);
        assertTrue(job.await(Duration.ofSeconds(30)));
        assertEquals(JobState.FAILED, job.state());
        try {
            job.result().toCompletableFuture().get();
            throw new AssertionError("refused backups do not succeed");
        } catch (ExecutionException e) {
            assertInstanceOf(BackupRefusedException.class, e.getCause());
            assertEquals(e.getCause().getMessage(), job.failure().orElseThrow());
            return (BackupRefusedException) e.getCause();
        }
    }

    @Test
    void aDriveTooSmallIsRefusedBeforeCopying() throws Exception {
        Path dir = folder("small");
        try (Mount m = Mount.tmpfs(dir, "size=8m")) {
            BackupRefusedException e = refused(request(dir));
            String sentence = e.problems().get(0);
            assertTrue(sentence.startsWith("The destination " + dir + " has 8.39 MB free but the backup needs"),
                    sentence);
            assertTrue(sentence.contains("4 files"), sentence);
            assertEquals(List.of(), TestSupport.files(dir), "nothing was written");
            BackupPlan plan = backups.plan(request(dir));
            assertFalse(plan.ok());
            assertEquals(4, plan.filesToCopy());
            assertEquals(8L << 20, plan.freeBytes());
        }
    }

    @Test
    void aMissingReadOnlyOrInsideDestinationIsRefusedWithASentence(
            @InjectService(timeout = 10000) StorageService storage) throws Exception {
        Path base = folder("checks");
        Path missing = base.resolve("not-mounted");
        assertTrue(refused(request(missing)).getMessage().contains(missing + " does not exist"));

        Path ro = Files.createDirectories(base.resolve("read-only"));
        try (Mount m = Mount.tmpfs(ro, "ro,size=1m")) {
            String s = refused(request(ro)).getMessage();
            assertTrue(s.contains(ro + " is not writable (read-only file system)"), s);
        }

        Path inside = Files.createDirectories(storage.recordingsRoot().resolve("backup-here"));
        try {
            String s = refused(request(inside)).getMessage();
            assertTrue(s.contains("inside the recordings folder " + storage.recordingsRoot()), s);
        } finally {
            Files.deleteIfExists(inside);
        }
        assertTrue(refused(request(base).withCameras(Set.of("no-such-camera"))).getMessage()
                .startsWith("Nothing to back up: no recordings match camera no-such-camera"));
    }

    @Test
    void filesTooLargeForFat32AreRefused() throws Exception {
        Path dir = folder("fat");
        Path source = dir.resolve("huge.mp4");
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(5L << 30); // sparse
        }
        Path dest = Files.createDirectories(dir.resolve("usb"));
        BackupPlanner.FileSystemProbe fat = new BackupPlanner.FileSystemProbe() {
            @Override
            public String type(Path d) {
                return "vfat";
            }

            @Override
            public long usableSpace(Path d) {
                return 64L << 30;
            }
        };
        BackupItem item = new BackupItem("fat-cam", T0, T0.plusSeconds(3600), "fat-cam/20240501/120000.mp4", source,
                5L << 30);
        BackupPlanner.Planned p = new BackupPlanner(dir.resolve("recordings"), fat).plan(
                BackupRequest.everything(dest), List.of(item), "camera fat-cam");
        assertEquals(List.of("1 recording is larger than the 4 GiB a FAT32 (vfat) drive can hold in one file (the"
                + " largest: fat-cam/20240501/120000.mp4, 5.37 GB); format the drive as exFAT or ext4, or leave it"
                + " out."), p.plan().problems());
        assertEquals(Optional.empty(), p.manifest());
        assertEquals(4294967295L, BackupPlanner.maxFileSize("vfat").getAsLong());
        assertTrue(BackupPlanner.maxFileSize("exfat").isEmpty());
    }

    @Test
    void aDrivePulledMidFileFailsClearlyAndTheNextRunResumes() throws Exception {
        Path work = folder("pulled");
        Path image = work.resolve("usb.img");
        Path mountPoint = Files.createDirectories(work.resolve("usb"));
        Map<String, String> before = new LinkedHashMap<>();
        for (Segment s : SEGMENTS) {
            before.put(s.relativePath(), TestSupport.sha256(s.path()));
        }
        Mount drive = Mount.ext4(image, 768L << 20, mountPoint);
        try {
            Job<BackupReport> job = backups.backup(request(mountPoint));
            Path part = FileCopier.partOf(mountPoint.resolve(big.relativePath()));
            assertTrue(Await.until(Duration.ofSeconds(60), () -> {
                try {
                    return Files.exists(part) && Files.size(part) > (32L << 20) || job.state().isFinished();
                } catch (IOException e) {
                    return false;
                }
            }));
            assertFalse(job.state().isFinished(), "the job ended before the drive was pulled: " + job.failure());
            drive.detach();
            assertTrue(job.await(Duration.ofSeconds(5)), "the job did not notice the drive had gone within 5 s");
            assertEquals(JobState.FAILED, job.state());
            String why = job.failure().orElseThrow();
            assertTrue(why.startsWith("The destination " + mountPoint + " has gone"), why);
            assertTrue(why.contains("run the same backup again"), why);
            for (Segment s : SEGMENTS) {
                assertEquals(before.get(s.relativePath()), TestSupport.sha256(s.path()), "source untouched");
            }
            // the detached file system goes away once nothing holds it open; then the drive comes back
            assertTrue(Await.until(Duration.ofSeconds(30), () -> {
                try {
                    return TestSupport.run(null, Duration.ofSeconds(10), "losetup", "-j", image.toString()).output()
                            .isBlank();
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }), "the loop device was not released");
            drive = Mount.loop(image, mountPoint);
            assertFalse(Files.exists(mountPoint.resolve(big.relativePath())), "no partial file under a final name");

            Job<BackupReport> rerun = backups.backup(request(mountPoint));
            assertTrue(rerun.await(Duration.ofSeconds(120)));
            assertEquals(JobState.SUCCEEDED, rerun.state(), () -> rerun.failure().orElse(""));
            BackupReport r = rerun.result().toCompletableFuture().get();
            assertEquals(3, r.filesSkipped(), "the files copied before the drive was pulled are kept");
            assertEquals(1, r.filesCopied());
            assertEquals(List.of(), TestSupport.partFiles(mountPoint));
            TestSupport.Run check = TestSupport.run(mountPoint, Duration.ofSeconds(60), "sha256sum", "-c", "--strict",
                    "SHA256SUMS");
            assertEquals(0, check.exit(), check.output());
        } finally {
            drive.close();
        }
    }
}
