package org.vigil.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.backup.HashAlgorithm;
import org.vigil.api.backup.VerifyReport;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobState;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StorageService;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Real recordings (H.264 fragmented MP4 made by gst-launch-1.0) catalogued through the storage service as the
 * recorder does, backed up through the backup service and the commands, checked with the real sha256sum and md5sum.
 */
class BackupRoundTripTest {
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final Instant DAY1 = LocalDateTime.parse("2024-03-01T10:00:00").atZone(ZONE).toInstant();
    private static final Instant DAY2 = LocalDateTime.parse("2024-03-02T09:30:00").atZone(ZONE).toInstant();
    private static final List<Segment> SEGMENTS = new ArrayList<>();
    private static final List<Path> FOLDERS = new ArrayList<>();

    @InjectService(timeout = 10000)
    BackupService backups;

    @InjectService(timeout = 10000)
    RecordingCatalog catalog;

    @InjectService(timeout = 10000, filter = "(component.name=org.vigil.backup.internal.VerifyCommand)")
    VigilCommand verifyCommand;

    @InjectService(timeout = 10000, filter = "(component.name=org.vigil.backup.internal.BackupCommand)")
    VigilCommand backupCommand;

    /** Two cameras, two days: rt-front 3 segments on day 1 and 1 on day 2, rt-back 2 segments on day 1. */
    @BeforeAll
    static void recordings(@InjectService(timeout = 10000) StorageService storage,
            @InjectService(timeout = 10000) SegmentListener listener,
            @InjectService(timeout = 10000) RecordingCatalog catalog) throws Exception {
        TestSupport.forget(storage, "rt-front", "rt-back");
        Path media = TestSupport.media(4);
        Path longer = TestSupport.media(6);
        for (int i = 0; i < 3; i++) {
            SEGMENTS.add(TestSupport.record(storage, listener, catalog, "rt-front", DAY1.plusSeconds(60L * i),
                    Duration.ofSeconds(4), i == 1 ? longer : media));
        }
        SEGMENTS.add(TestSupport.record(storage, listener, catalog, "rt-front", DAY2, Duration.ofSeconds(4), media));
        for (int i = 0; i < 2; i++) {
            SEGMENTS.add(TestSupport.record(storage, listener, catalog, "rt-back", DAY1.plusSeconds(30L * i),
                    Duration.ofSeconds(4), media));
        }
    }

    @AfterAll
    static void cleanUp(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        FOLDERS.forEach(TestSupport::deleteTree);
        TestSupport.forget(storage, "rt-front", "rt-back", "rt-recent");
    }

    private static Path folder(String name) throws Exception {
        Path p = TestSupport.newFolder(name);
        FOLDERS.add(p);
        return p;
    }

    private BackupReport backup(BackupRequest request) throws Exception {
        Job<BackupReport> job = backups.backup(request);
        assertTrue(job.await(Duration.ofSeconds(60)), "the backup did not finish within 60 s");
        assertEquals(JobState.SUCCEEDED, job.state(), () -> "backup failed: " + job.failure().orElse(""));
        return job.result().toCompletableFuture().get(1, TimeUnit.SECONDS);
    }

    private static BackupRequest cameras(Path dest, String... cams) {
        return BackupRequest.everything(dest).withCameras(Set.of(cams));
    }

    @Test
    void aBackupMirrorsTheLayoutAndSha256sumChecksIt() throws Exception {
        Path dest = folder("roundtrip");
        BackupReport r = backup(cameras(dest, "rt-front", "rt-back"));
        assertEquals(6, r.files());
        assertEquals(6, r.filesCopied());
        assertEquals(6, r.filesVerified());
        assertEquals(0, r.filesSkipped());
        long bytes = SEGMENTS.stream().mapToLong(Segment::bytes).sum();
        assertEquals(bytes, r.bytesCopied());

        DateTimeFormatter day = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZONE);
        for (Segment s : SEGMENTS) {
            Path copy = dest.resolve(s.relativePath());
            assertTrue(s.relativePath().startsWith(s.cameraId() + "/" + day.format(s.start()) + "/"), s.relativePath());
            assertEquals(TestSupport.sha256(s.path()), TestSupport.sha256(copy), s.relativePath());
        }
        assertEquals(List.of(), TestSupport.partFiles(dest));

        TestSupport.Run check = TestSupport.run(dest, Duration.ofSeconds(60), "sha256sum", "-c", "--strict",
                "SHA256SUMS");
        assertEquals(0, check.exit(), check.output());
        assertEquals(6, check.output().lines().filter(l -> l.endsWith(": OK")).count(), check.output());

        JsonObject m = JsonParser.parseString(Files.readString(dest.resolve("manifest.json"))).getAsJsonObject();
        assertEquals("sha256", m.get("hash").getAsString());
        JsonArray files = m.getAsJsonArray("files");
        assertEquals(6, files.size());
        Segment first = SEGMENTS.get(0);
        JsonObject f = null;
        for (var e : files) {
            if (e.getAsJsonObject().get("path").getAsString().equals(first.relativePath())) {
                f = e.getAsJsonObject();
            }
        }
        assertTrue(f != null, "manifest.json lists " + first.relativePath());
        assertEquals("rt-front", f.get("camera").getAsString());
        assertEquals(first.start(), Instant.parse(f.get("start").getAsString()));
        assertEquals(first.end(), Instant.parse(f.get("end").getAsString()));
        assertEquals(first.bytes(), f.get("bytes").getAsLong());
        assertEquals(TestSupport.sha256(first.path()), f.get("sha256").getAsString());
        assertTrue(f.get("copied_by").getAsString().contains("@"));
        assertTrue(f.has("copied") && f.has("verified"));
        JsonObject run = m.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertEquals("completed", run.get("outcome").getAsString());
        assertTrue(run.get("by").getAsString().contains("@"));

        // incremental: the same backup again copies nothing
        BackupReport again = backup(cameras(dest, "rt-front", "rt-back"));
        assertEquals(0, again.filesCopied());
        assertEquals(6, again.filesSkipped());
        assertEquals(2, JsonParser.parseString(Files.readString(dest.resolve("manifest.json"))).getAsJsonObject()
                .getAsJsonArray("runs").size());
    }

    @Test
    void verifyNamesAlteredMissingAndExtraFiles() throws Exception {
        Path dest = folder("verify");
        backup(cameras(dest, "rt-front"));
        TestSupport.Invocation ok = new TestSupport.Invocation(false, dest.toString());
        assertEquals(0, verifyCommand.execute(ok), ok.outText.toString());
        assertTrue(ok.outText.toString().contains("Every listed file is intact"), ok.outText.toString());

        String altered = SEGMENTS.get(1).relativePath();
        try (RandomAccessFile raf = new RandomAccessFile(dest.resolve(altered).toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x01);
        }
        String missing = SEGMENTS.get(3).relativePath();
        Files.delete(dest.resolve(missing));
        Files.writeString(dest.resolve("rt-front/notes.txt"), "not part of the backup");

        TestSupport.Invocation bad = new TestSupport.Invocation(false, dest.toString());
        assertEquals(1, verifyCommand.execute(bad));
        String out = bad.outText.toString();
        assertTrue(out.contains("ALTERED    " + altered), out);
        assertTrue(out.contains("MISSING    " + missing), out);
        assertTrue(out.contains("EXTRA      rt-front/notes.txt"), out);
        assertFalse(out.contains(SEGMENTS.get(0).relativePath()), "an intact file is not named: " + out);

        Job<VerifyReport> job = backups.verify(dest);
        assertTrue(job.await(Duration.ofSeconds(30)));
        VerifyReport r = job.result().toCompletableFuture().get();
        assertEquals(List.of(altered), r.altered());
        assertEquals(List.of(missing), r.missing());
        assertEquals(List.of("rt-front/notes.txt"), r.extra());
        assertFalse(r.intact());
        assertEquals(4, r.files());
        // sha256sum agrees
        assertEquals(1, TestSupport.run(dest, Duration.ofSeconds(30), "sha256sum", "-c", "--quiet", "SHA256SUMS").exit());
    }

    @Test
    void aSelectionByCameraAndTimeCopiesOnlyThat() throws Exception {
        Path dest = folder("selection");
        BackupReport r = backup(cameras(dest, "rt-front").withRange(Optional.of(DAY2.minusSeconds(60)),
                Optional.of(DAY2.plusSeconds(3600))));
        assertEquals(1, r.files());
        assertEquals(List.of("SHA256SUMS", "manifest.json", SEGMENTS.get(3).relativePath()),
                TestSupport.files(dest).stream().sorted().toList());
    }

    @Test
    void protectedClipsOnly(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        Path dest = folder("protected");
        Segment clip = SEGMENTS.get(4);
        assertEquals(1, storage.setProtected(SegmentSelection.of("rt-back", clip.start(), clip.end()), true));
        try {
            BackupReport r = backup(cameras(dest, "rt-back").withProtectedOnly(true));
            assertEquals(1, r.files());
            assertTrue(Files.exists(dest.resolve(clip.relativePath())));
        } finally {
            storage.setProtected(SegmentSelection.of("rt-back", clip.start(), clip.end()), false);
        }
    }

    @Test
    void md5ForOldToolsIsCheckedByMd5sum() throws Exception {
        Path dest = folder("md5");
        BackupReport r = backup(cameras(dest, "rt-back").withHash(HashAlgorithm.MD5));
        assertEquals(2, r.filesCopied());
        assertTrue(Files.exists(dest.resolve("MD5SUMS")));
        assertFalse(Files.exists(dest.resolve("SHA256SUMS")));
        TestSupport.Run check = TestSupport.run(dest, Duration.ofSeconds(30), "md5sum", "-c", "--strict", "MD5SUMS");
        assertEquals(0, check.exit(), check.output());
        // a SHA-256 backup into the same folder is refused: one checksum kind per backup
        Job<BackupReport> mixed = backups.backup(cameras(dest, "rt-back"));
        assertTrue(mixed.await(Duration.ofSeconds(30)));
        assertEquals(JobState.FAILED, mixed.state());
        assertTrue(mixed.failure().orElseThrow().contains("--hash md5"), mixed.failure().orElseThrow());
    }

    @Test
    void theBackupCommandPrintsJsonAndTheFilesCheck() throws Exception {
        Path dest = folder("command");
        TestSupport.Invocation inv = new TestSupport.Invocation(true, "--dest", dest.toString(), "--camera", "rt-front",
                "--from", "2024-03-01", "--to", "2024-03-02");
        assertEquals(0, backupCommand.execute(inv), inv.errText.toString());
        JsonObject out = JsonParser.parseString(inv.outText.toString()).getAsJsonObject();
        assertEquals(3, out.get("files_copied").getAsInt());
        assertEquals(3, out.get("files_verified").getAsInt());
        assertEquals("sha256", out.get("hash").getAsString());
        assertEquals(0, TestSupport.run(dest, Duration.ofSeconds(30), "sha256sum", "-c", "SHA256SUMS").exit());

        TestSupport.Invocation usage = new TestSupport.Invocation(false, "--dest", dest.toString(), "--hash", "crc");
        try {
            backupCommand.execute(usage);
            throw new AssertionError("--hash crc was accepted");
        } catch (org.vigil.api.command.CommandException e) {
            assertEquals(2, e.exitCode());
            assertTrue(e.getMessage().contains("sha256 or md5"), e.getMessage());
        }
        String text = Files.readString(dest.resolve("SHA256SUMS"), StandardCharsets.UTF_8);
        assertTrue(text.lines().allMatch(l -> l.matches("[0-9a-f]{64}  rt-front/20240301/[0-9]{6}\\.mp4")), text);
    }

    /**
     * The backup command reads times as every command does ({@code vigil recordings list --from -2h} worked and
     * {@code vigil backup --from -2h} was refused): relative times select the recent recordings; a time it does not
     * understand, or one out of range, is one sentence showing the forms, never {@code For input string}.
     */
    @Test
    void theBackupCommandTakesTheTimesEveryCommandTakes(@InjectService(timeout = 10000) StorageService storage,
            @InjectService(timeout = 10000) SegmentListener listener) throws Exception {
        Path media = TestSupport.media(4);
        Instant now = Instant.now();
        Segment recent = TestSupport.record(storage, listener, catalog, "rt-recent", now.minus(Duration.ofHours(1)),
                Duration.ofSeconds(4), media);
        TestSupport.record(storage, listener, catalog, "rt-recent", now.minus(Duration.ofHours(3)),
                Duration.ofSeconds(4), media);
        Path dest = folder("relative");
        TestSupport.Invocation inv = new TestSupport.Invocation(true, "--dest", dest.toString(), "--camera",
                "rt-recent", "--from", "-2h");
        assertEquals(0, backupCommand.execute(inv), inv.errText.toString());
        JsonObject out = JsonParser.parseString(inv.outText.toString()).getAsJsonObject();
        assertEquals(1, out.get("files_copied").getAsInt(), "only the recording of the last two hours");
        assertTrue(Files.exists(dest.resolve(recent.relativePath())), recent.relativePath());

        TestSupport.Invocation window = new TestSupport.Invocation(true, "--dest", folder("window").toString(),
                "--camera", "rt-recent", "--from", "-4h", "--to", "-2h");
        assertEquals(0, backupCommand.execute(window), window.errText.toString());
        assertEquals(1, JsonParser.parseString(window.outText.toString()).getAsJsonObject().get("files_copied")
                .getAsInt(), "only the recording of three hours ago");

        for (String bad : List.of("-9999999999999999999999h", "-99999999999d", "last tuesday", "2026-13-45")) {
            TestSupport.Invocation usage = new TestSupport.Invocation(false, "--dest", dest.toString(), "--from", bad);
            try {
                backupCommand.execute(usage);
                throw new AssertionError("--from " + bad + " was accepted");
            } catch (org.vigil.api.command.CommandException e) {
                assertEquals(2, e.exitCode(), e.getMessage());
                assertTrue(e.getMessage().startsWith("The time '" + bad + "' given to --from "), e.getMessage());
                assertTrue(e.getMessage().contains("-2h"), "the sentence shows the forms: " + e.getMessage());
                assertFalse(e.getMessage().contains("input string"), e.getMessage());
                assertEquals(1, e.getMessage().split("\\. ").length, "one sentence: " + e.getMessage());
            }
        }
    }
}
