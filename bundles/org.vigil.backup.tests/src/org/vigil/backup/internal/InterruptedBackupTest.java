package org.vigil.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.config.BackupSettings;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;

/**
 * Backups interrupted mid-file by a cancel, by stopping the service (Vigil stopping) and by SIGKILL of the process
 * that copies, then run again: each ends complete and correct, with no {@code .part} file left and never a partial
 * file under a final name. The recordings include a 512 MiB file so that each interruption lands inside a file.
 */
class InterruptedBackupTest {
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final Instant T0 = LocalDateTime.parse("2024-04-01T08:00:00").atZone(ZONE).toInstant();
    private static final long BIG = 512L << 20;
    private static final List<Segment> SEGMENTS = new ArrayList<>();
    private static Segment big;
    private static final List<Path> FOLDERS = new ArrayList<>();

    @InjectService(timeout = 10000)
    BackupService backups;

    /** Two small real recordings, then a big one, then another small one, all of camera "ib-cam". */
    @BeforeAll
    static void recordings(@InjectService(timeout = 10000) StorageService storage,
            @InjectService(timeout = 10000) SegmentListener listener,
            @InjectService(timeout = 10000) RecordingCatalog catalog) throws Exception {
        TestSupport.forget(storage, "ib-cam");
        Path media = TestSupport.media(4);
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "ib-cam", T0, Duration.ofSeconds(4), media));
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "ib-cam", T0.plusSeconds(60), Duration.ofSeconds(4),
                media));
        big = TestSupport.record(storage, listener, catalog, "ib-cam", T0.plusSeconds(120), Duration.ofSeconds(600),
                p -> TestSupport.bigFile(p, BIG, 42));
        SEGMENTS.add(big);
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "ib-cam", T0.plusSeconds(800), Duration.ofSeconds(4),
                media));
    }

    @AfterAll
    static void cleanUp(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        FOLDERS.forEach(TestSupport::deleteTree);
        TestSupport.forget(storage, "ib-cam");
    }

    private static Path folder(String name) throws Exception {
        Path p = TestSupport.newFolder(name);
        FOLDERS.add(p);
        return p;
    }

    private static BackupRequest request(Path dest) {
        return BackupRequest.everything(dest).withCameras(Set.of("ib-cam"));
    }

    private static boolean copyingBig(Job<?> job) {
        return job.progress().phase().equals(BackupRun.PHASE_COPYING)
                && job.progress().message().equals(big.relativePath())
                && job.progress().done() > SEGMENTS.get(0).bytes() + SEGMENTS.get(1).bytes() + (64L << 20);
    }

    private void assertCompleteAndCorrect(Path dest) throws Exception {
        assertEquals(List.of(), TestSupport.partFiles(dest), "no .part file remains");
        for (Segment s : SEGMENTS) {
            assertEquals(TestSupport.sha256(s.path()), TestSupport.sha256(dest.resolve(s.relativePath())),
                    s.relativePath());
        }
        TestSupport.Run check = TestSupport.run(dest, Duration.ofSeconds(120), "sha256sum", "-c", "--strict",
                "SHA256SUMS");
        assertEquals(0, check.exit(), check.output());
        assertEquals(SEGMENTS.size(), check.output().lines().filter(l -> l.endsWith(": OK")).count());
    }

    @Test
    void aCancelMidFileRollsBackWithinASecondAndTheNextRunContinues() throws Exception {
        Path dest = folder("cancel");
        AtomicBoolean daemon = new AtomicBoolean(true);
        Job<BackupReport> job = backups.backup(request(dest));
        job.onProgress(j -> daemon.set(Thread.currentThread().isDaemon()));
        assertTrue(Await.until(Duration.ofSeconds(60), () -> copyingBig(job) || job.state().isFinished()),
                "the copy of the big file did not start");
        assertTrue(copyingBig(job), "the job ended before the cancel: " + job.state());
        assertTrue(Files.exists(FileCopier.partOf(dest.resolve(big.relativePath()))), "the big file is copied as .part");
        long t0 = System.nanoTime();
        job.cancel();
        assertTrue(job.await(Duration.ofSeconds(1)), "the cancel took more than 1 s");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1000, "the cancel took " + ms + " ms");
        assertEquals(JobState.CANCELLED, job.state());
        assertFalse(daemon.get(), "backups run on the job runner's non-daemon threads (S5)");
        assertEquals(List.of(), TestSupport.partFiles(dest), "the file in hand was rolled back");
        assertFalse(Files.exists(dest.resolve(big.relativePath())), "no partial file under its final name");
        // the files before it are complete and listed
        assertEquals(0, TestSupport.run(dest, Duration.ofSeconds(30), "sha256sum", "-c", "SHA256SUMS").exit());

        Job<BackupReport> rerun = backups.backup(request(dest));
        assertTrue(rerun.await(Duration.ofSeconds(120)));
        assertEquals(JobState.SUCCEEDED, rerun.state(), () -> rerun.failure().orElse(""));
        BackupReport r = rerun.result().toCompletableFuture().get();
        assertEquals(2, r.filesSkipped(), "the files copied before the cancel are not copied again");
        assertEquals(2, r.filesCopied());
        assertCompleteAndCorrect(dest);
    }

    @Test
    void progressCountsBytesAndFilesAlsoWhileVerifying() throws Exception {
        Path dest = folder("progress");
        List<String> phases = new CopyOnWriteArrayList<>();
        List<Long> verifyDone = new CopyOnWriteArrayList<>();
        Job<BackupReport> job = backups.backup(request(dest));
        job.onProgress(j -> {
            String phase = j.progress().phase();
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
            if (phase.equals(BackupRun.PHASE_VERIFYING)) {
                verifyDone.add(j.progress().done());
            }
        });
        assertTrue(job.await(Duration.ofSeconds(120)));
        assertEquals(JobState.SUCCEEDED, job.state(), () -> job.failure().orElse(""));
        assertTrue(phases.contains(BackupRun.PHASE_COPYING) && phases.contains(BackupRun.PHASE_VERIFYING), "" + phases);
        assertTrue(verifyDone.size() > 100, "progress while verifying the big file (every MiB): " + verifyDone.size());
        assertEquals(job.progress().total(), job.progress().done(), "done = total at the end");
        assertEquals(SEGMENTS.size(), job.progress().itemsDone());
        BackupReport r = job.result().toCompletableFuture().get();
        assertTrue(r.copyBytesPerSecond() > 0 && r.verifyBytesPerSecond() > 0);
        assertTrue(Set.of("O_DIRECT", "fadvise").contains(r.cacheBypass()), r.cacheBypass());
    }

    /**
     * What a person at the terminal sees: while a backup runs, a progress line at most once a second, and one at
     * least every few seconds even when the destination stops taking data. Whether a backup of these files takes
     * 0.5 s or 20 s depends on the machine, so the test holds it: the destination is a real file system (ext4 on a
     * loop device) frozen with {@code fsfreeze} while the big file is being copied (a share or drive that stalls:
     * every write waits until it is thawed), then thawed; the backup then completes.
     */
    @Test
    void theCommandPrintsAProgressLineAtMostEverySecond(
            @InjectService(timeout = 10000, filter = "(component.name=org.vigil.backup.internal.BackupCommand)")
            org.vigil.api.command.VigilCommand command) throws Exception {
        Path work = folder("command");
        Path image = work.resolve("drive.img");
        Path dest = Files.createDirectories(work.resolve("drive"));
        TestSupport.Invocation inv = new TestSupport.Invocation(false, "--dest", dest.toString(), "--camera", "ib-cam");
        Path part = FileCopier.partOf(dest.resolve(big.relativePath()));
        ExecutorService caller = Executors.newSingleThreadExecutor(r -> new Thread(r, "backup-command"));
        try (Mount drive = Mount.ext4(image, 768L << 20, dest)) {
            Future<Integer> exit = caller.submit(() -> command.execute(inv));
            assertTrue(Await.until(Duration.ofSeconds(60), () -> Files.exists(part) || exit.isDone()),
                    "the copy of the big file did not start: " + inv.errText);
            TestSupport.mustRun("fsfreeze", "--freeze", dest.toString());
            int held;
            try {
                assertFalse(exit.isDone(), "the backup ended before its destination was held: " + inv.errText);
                held = inv.errLineNanos.size();
                assertTrue(Await.until(Duration.ofSeconds(30),
                        () -> inv.errLineNanos.size() >= held + 3 || exit.isDone()),
                        "no progress line every second while the destination was held: " + inv.errText);
                assertFalse(exit.isDone(), "the backup ended while its destination was held: " + inv.errText);
            } finally {
                TestSupport.run(null, Duration.ofSeconds(30), "fsfreeze", "--unfreeze", dest.toString());
            }
            assertEquals(0, exit.get(120, TimeUnit.SECONDS), inv.errText.toString());

            List<String> lines = inv.errText.toString().lines().toList();
            List<Long> at = inv.errLineNanos;
            assertEquals(lines.size(), at.size(), "" + lines);
            for (int i = 1; i < at.size(); i++) {
                long gapMs = (at.get(i) - at.get(i - 1)) / 1_000_000;
                assertTrue(gapMs >= 900, "two progress lines " + gapMs + " ms apart: " + lines);
            }
            assertTrue(lines.stream().allMatch(l -> l.matches("(checking|copying|verifying) .*")), "" + lines);
            List<String> whileHeld = lines.subList(held, held + 3);
            assertTrue(whileHeld.stream().allMatch(l -> l.startsWith("copying ")
                    && l.endsWith(big.relativePath())), "the lines name the file in hand: " + whileHeld);
            assertTrue(lines.stream().anyMatch(l -> l.matches(".* [0-9.]+ [kMG]B/s .*% done.*")), "" + lines);
            String out = inv.outText.toString();
            assertTrue(out.startsWith("Backed up 4 files"), out);
            assertTrue(out.contains("sha256sum -c SHA256SUMS"), out);
            assertCompleteAndCorrect(dest);
        } finally {
            caller.shutdownNow();
            assertTrue(caller.awaitTermination(30, TimeUnit.SECONDS), "the command did not end");
        }
    }

    @Test
    void stoppingTheServiceWaitsForTheFileInHandAndSaysItRolledItBack(
            @InjectService(timeout = 10000) JobRunner runner,
            @InjectService(timeout = 10000) RecordingCatalog catalog,
            @InjectService(timeout = 10000) StorageService storage) throws Exception {
        Path dest = folder("stop");
        BackupComponent own = new BackupComponent(runner, catalog, storage, settings(), Duration.ofSeconds(10),
                CacheBypass.DIRECT, "test");
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(BackupRun.class.getName());
        log.addHandler(capture);
        try {
            Job<BackupReport> job = own.backup(request(dest));
            assertTrue(Await.until(Duration.ofSeconds(60), () -> copyingBig(job) || job.state().isFinished()));
            assertTrue(copyingBig(job), "the job ended before the stop: " + job.state());
            long t0 = System.nanoTime();
            own.deactivate();
            assertTrue(job.state().isFinished(), "deactivate returns once the job has ended");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the stop took more than 5 s");
            assertEquals(JobState.CANCELLED, job.state());
            assertEquals(List.of(), TestSupport.partFiles(dest));
            assertFalse(Files.exists(dest.resolve(big.relativePath())));
            String said = logged.stream().map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
                    .filter(m -> m.contains("Vigil is stopping")).findFirst().orElse("");
            assertTrue(said.contains(big.relativePath()) && said.contains("rolled back"), "log: " + said);
            own.deactivate(); // twice is harmless
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void killedMidFileTheNextRunCompletesIt(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        Path dest = folder("kill");
        Path work = folder("kill-work");
        Path list = work.resolve("recordings.tsv");
        StringBuilder sb = new StringBuilder();
        for (Segment s : SEGMENTS) {
            sb.append(String.join("\t", s.cameraId(), s.start().toString(), s.end().toString(), s.relativePath(),
                    s.path().toString(), String.valueOf(s.bytes()))).append('\n');
        }
        Files.writeString(list, sb.toString());
        Path part = FileCopier.partOf(dest.resolve(big.relativePath()));
        Process child = ChildJvm.start(ChildJvm.classPath(TestSupport.target().resolve("child-classes")), list, dest,
                storage.recordingsRoot());
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null;) {
                    output.add(l);
                }
            } catch (java.io.IOException e) {
                // the child was killed
            }
        }, "child-output");
        reader.start();
        try {
            assertTrue(Await.until(Duration.ofSeconds(60), () -> {
                try {
                    return Files.exists(part) && Files.size(part) > (48L << 20) || !child.isAlive();
                } catch (java.io.IOException e) {
                    return false;
                }
            }), "the child did not start copying the big file: " + output);
            assertTrue(child.isAlive(), "the child ended before it was killed: " + output);
            TestSupport.mustRun("kill", "-9", String.valueOf(child.pid()));
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue());
        } finally {
            child.destroyForcibly();
            reader.join(5000);
        }
        assertFalse(Files.exists(dest.resolve(big.relativePath())), "never a partial file under a final name");
        assertTrue(Files.exists(part), "the killed copy left its .part");
        assertTrue(Files.exists(dest.resolve(BackupManifest.JOURNAL)), "the journal survived the kill");

        Job<BackupReport> rerun = backups.backup(request(dest));
        assertTrue(rerun.await(Duration.ofSeconds(120)));
        assertEquals(JobState.SUCCEEDED, rerun.state(), () -> rerun.failure().orElse(""));
        BackupReport r = rerun.result().toCompletableFuture().get();
        assertEquals(2, r.filesSkipped(), "the files the killed run completed are not copied again");
        assertFalse(Files.exists(dest.resolve(BackupManifest.JOURNAL)), "the journal is folded into the manifests");
        assertCompleteAndCorrect(dest);
    }

    private static BackupSettings settings() {
        return new BackupSettings() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return BackupSettings.class;
            }

            @Override
            public String destination() {
                return "";
            }

            @Override
            public String hash() {
                return "sha256";
            }

            @Override
            public boolean verify() {
                return true;
            }
        };
    }
}
