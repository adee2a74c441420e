package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentState;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.testing.Await;

/** The check after each kind of damage: deleted file, extra file, truncated file, crash mid-insert, half deletion. */
class ReconcileTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    Path dir;
    Fixture f;
    Instant day;

    @BeforeEach
    void open() throws Exception {
        dir = TestDirs.fresh("reconcile");
        f = Fixture.open(dir, scheduler, jobs);
        day = LocalDate.now(Fixture.ZONE).minusDays(10).atTime(LocalTime.of(8, 0)).atZone(Fixture.ZONE).toInstant();
    }

    @AfterEach
    void close() throws Exception {
        f.close();
        TestDirs.deleteTree(dir);
    }

    private CheckReport check(boolean repair) throws Exception {
        var job = f.store.check(repair);
        assertTrue(job.await(Duration.ofSeconds(60)));
        return job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    private List<Segment> all(String camera) {
        return f.store.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(86400))
                .withLimit(1000)).items();
    }

    @Test
    void aDeepCheckNamesARecordingDamagedInsideItsBoxesAndLeavesItAsItIs() throws Exception {
        // issue 22 item 8: 8 KB overwritten in place (same size) goes unnoticed by the check of names and sizes
        Path damaged = f.record("rc9", day, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        Path plain = f.record("rc9", day.plusSeconds(4), Duration.ofSeconds(10), Media.PLAIN, 250);
        Path healthy = f.record("rc9", day.plusSeconds(14), Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        f.flush();
        for (Path p : List.of(damaged, plain)) {
            try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[8192]), 0);
            }
        }
        byte[] before = Files.readAllBytes(damaged);
        assertFalse(check(false).foundProblems(), "names and sizes agree: the plain check cannot see it");

        var job = f.store.check(true, true);
        assertTrue(job.await(Duration.ofSeconds(60)));
        CheckReport deep = job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(2, deep.unplayable(), deep.details().toString());
        for (Path p : List.of(damaged, plain)) {
            String rel = f.root.relativize(p).toString();
            assertTrue(deep.details().stream().anyMatch(d -> d.startsWith("the recording " + rel + " is damaged: ")
                    && d.endsWith("; it was left as it is")), rel + " named: " + deep.details());
        }
        String rel = f.root.relativize(healthy).toString();
        assertTrue(deep.details().stream().noneMatch(d -> d.contains(rel)), "the healthy one is not named");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(damaged)), "the damaged file is untouched");
        assertEquals(3, all("rc9").size(), "and still catalogued: a damaged recording may be evidence");

        // the background scrub finds the same, a few files a round
        var scrubber = f.store.scrubber();
        for (int i = 0; i < 20 && scrubber.status().rounds() == 0; i++) {
            scrubber.round();
        }
        var scrub = scrubber.status();
        assertTrue(scrub.rounds() >= 1 && scrub.checked() >= 3, scrub.toString());
        for (Path p : List.of(damaged, plain)) {
            assertTrue(scrub.damaged().containsKey(f.root.relativize(p).toString()), scrub.line());
        }
        assertEquals(2, scrub.damaged().size(), scrub.line());
        assertTrue(scrub.line().contains("2 damaged: "), scrub.line());
    }

    @Test
    void aDeletedFileLosesItsRowAndACheckWithoutRepairChangesNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            f.record("rc1", day.plusSeconds(4L * i), Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        }
        f.flush();
        Segment gone = all("rc1").get(1);
        Files.delete(gone.path());

        CheckReport look = check(false);
        assertEquals(1, look.rowsRemoved());
        assertTrue(look.foundProblems() && !look.repair());
        assertTrue(look.details().stream().anyMatch(d -> d.contains(gone.relativePath())), look.details().toString());
        assertEquals(3, all("rc1").size(), "a check without --repair changes nothing");

        CheckReport fix = check(true);
        assertEquals(1, fix.rowsRemoved());
        assertEquals(2, fix.filesSeen());
        assertEquals(2, all("rc1").size());
        f.assertConsistent();
        assertFalse(check(false).foundProblems(), "after the repair the catalog and the disk agree");
    }

    @Test
    void aCopiedInFileIsProbedAndCataloguedWithTheTimeItsNameSays() throws Exception {
        LocalDate d = LocalDate.ofInstant(day, Fixture.ZONE);
        Path folder = Files.createDirectories(f.root.resolve("rc2/" + d.toString().replace("-", "")));
        Files.copy(Media.get(Media.FRAGMENTED), folder.resolve("101500.mp4"));
        Files.copy(Media.get(Media.MJPEG), folder.resolve("101504.mkv"));
        Files.createDirectories(f.root.resolve("rc2/20000101")); // an empty, old day folder
        Files.writeString(folder.resolve("notes.txt"), "not a recording");

        CheckReport r = check(true);
        assertEquals(2, r.catalogued(), r.details().toString());
        assertEquals(1, r.foldersRemoved(), "the empty old day folder");
        assertTrue(r.skipped() >= 1, "notes.txt is left alone");
        assertTrue(Files.exists(folder.resolve("notes.txt")));
        List<Segment> segs = all("rc2");
        assertEquals(2, segs.size());
        Segment mp4 = segs.get(0);
        assertEquals(d.atTime(10, 15, 0).atZone(Fixture.ZONE).toInstant(), mp4.start());
        assertEquals(Duration.ofSeconds(4), mp4.duration());
        assertEquals(100, mp4.frames());
        assertEquals(SegmentState.RECOVERED, mp4.state());
        assertEquals(Codec.MJPEG, segs.get(1).codec());
        assertTrue(segs.get(1).relativePath().endsWith(".mkv"));
    }

    @Test
    void aTruncatedFileIsCorrectedWhenPlayableAndQuarantinedWhenNot() throws Exception {
        Path frag = f.record("rc3", day, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        Path plain = f.record("rc3", day.plusSeconds(4), Duration.ofSeconds(10), Media.PLAIN, 250);
        f.flush();
        long half = Files.size(frag) / 2;
        try (var ch = java.nio.channels.FileChannel.open(frag, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(half);
        }
        try (var ch = java.nio.channels.FileChannel.open(plain, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(plain) - 5000);
        }
        CheckReport r = check(true);
        assertEquals(1, r.rowsUpdated(), r.details().toString());
        assertEquals(1, r.unplayable());
        List<Segment> segs = all("rc3");
        assertEquals(1, segs.size());
        Segment fixed = segs.get(0);
        assertEquals(half, fixed.bytes());
        assertTrue(fixed.frames() > 0 && fixed.frames() < 100, "only whole fragments: " + fixed.frames());
        assertEquals(SegmentState.RECOVERED, fixed.state());
        assertFalse(Files.exists(plain));
        assertTrue(Files.exists(f.root.resolve(".quarantine").resolve(f.root.relativize(plain))),
                "the unplayable file was moved aside, not deleted");
        f.assertConsistent();
    }

    @Test
    void anInterruptedDeletionIsFinished() throws Exception {
        Path p = f.record("rc4", day, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        f.flush();
        SegmentRow row = f.store.store().rowByPath(f.root.relativize(p).toString()).orElseThrow();
        f.store.store().markGarbage(List.of(row)); // step one of the protocol, then a crash
        assertTrue(Files.exists(p));
        CheckReport r = check(true);
        assertEquals(1, r.garbageFinished());
        assertFalse(Files.exists(p));
        f.assertConsistent();
    }

    @Test
    void aCrashInTheMiddleOfAnInsertLeavesNoRowAndTheCheckCataloguesTheFiles() throws Exception {
        LocalDate d = LocalDate.ofInstant(day, Fixture.ZONE);
        Path folder = Files.createDirectories(f.root.resolve("rc5/" + d.toString().replace("-", "")));
        for (int i = 0; i < 20; i++) {
            Files.createLink(folder.resolve(String.format("0800%02d.mp4", i * 2)), Media.get(Media.FRAGMENTED));
        }
        f.close(); // the drill's JVM is the only writer now
        Process drill = ChildJvm.startAndAwait("MIDWAY", Duration.ofSeconds(60), "insert", dir.toString(),
                f.root.toString(), "rc5", "10");
        ChildJvm.kill(drill);

        f = Fixture.open(dir, scheduler, jobs);
        assertEquals(0, f.rowCount(), "the transaction died with the process: no row of it survives");
        CheckReport r = check(true);
        assertEquals(20, r.catalogued());
        assertEquals(20, all("rc5").size());
        f.assertConsistent();
    }

    @Test
    void theCheckAtStartCataloguesWhatACrashLeftBehind() throws Exception {
        f.record("rc6", day, Duration.ofSeconds(4), Media.FRAGMENTED, 100);
        f.flush();
        LocalDate d = LocalDate.ofInstant(day, Fixture.ZONE);
        Path cut = Media.truncated(Media.FRAGMENTED, Files.size(Media.get(Media.FRAGMENTED)) * 3 / 4, dir);
        Files.move(cut, f.root.resolve("rc6/" + d.toString().replace("-", "") + "/080004.mp4"),
                StandardCopyOption.ATOMIC_MOVE);
        f.close();

        f = Fixture.open(dir, f.root, scheduler, jobs, Fixture.retention(0, 0), true);
        assertTrue(Await.until(Duration.ofSeconds(30), () -> f.store.lastCheck().isPresent()));
        assertEquals(1, f.store.lastCheck().get().catalogued());
        List<Segment> segs = all("rc6");
        assertEquals(2, segs.size());
        assertEquals(SegmentState.RECOVERED, segs.get(1).state());
        assertTrue(segs.get(1).duration().toMillis() < 4000, "only the complete fragments count");
        f.assertConsistent();
    }
}
