package org.vigil.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobState;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * {@code vigil verify} on backups whose checksum list was damaged: emptied, a line lost together with its file, a
 * line lost alone, garbage added, a list of gigantic lines. Each is a failure with a sentence, never "intact"; the
 * real sha256sum agrees where it can tell.
 */
class VerifyListTest {
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final Instant DAY = LocalDateTime.parse("2024-04-02T08:00:00").atZone(ZONE).toInstant();
    private static final String CAMERA = "vl-cam";
    private static final List<Segment> SEGMENTS = new ArrayList<>();
    private static final List<Path> FOLDERS = new ArrayList<>();

    @InjectService(timeout = 10000)
    BackupService backups;

    @InjectService(timeout = 10000, filter = "(component.name=org.vigil.backup.internal.VerifyCommand)")
    VigilCommand verifyCommand;

    @BeforeAll
    static void recordings(@InjectService(timeout = 10000) StorageService storage,
            @InjectService(timeout = 10000) SegmentListener listener,
            @InjectService(timeout = 10000) RecordingCatalog catalog) throws Exception {
        TestSupport.forget(storage, CAMERA);
        Path media = TestSupport.media(4);
        for (int i = 0; i < 3; i++) {
            SEGMENTS.add(TestSupport.record(storage, listener, catalog, CAMERA, DAY.plusSeconds(60L * i),
                    Duration.ofSeconds(4), media));
        }
    }

    @AfterAll
    static void cleanUp(@InjectService(timeout = 10000) StorageService storage) throws Exception {
        FOLDERS.forEach(TestSupport::deleteTree);
        TestSupport.forget(storage, CAMERA);
    }

    /** A fresh, complete backup of the three segments, checked intact first. */
    private Path backup(String name) throws Exception {
        Path dest = TestSupport.newFolder(name);
        FOLDERS.add(dest);
        Job<?> job = backups.backup(BackupRequest.everything(dest).withCameras(Set.of(CAMERA)));
        assertTrue(job.await(Duration.ofSeconds(60)), "the backup did not finish within 60 s");
        assertEquals(JobState.SUCCEEDED, job.state(), () -> "backup failed: " + job.failure().orElse(""));
        Result ok = verify(dest);
        assertEquals(0, ok.exit(), ok.outText() + " " + ok.errText());
        return dest;
    }

    /** What {@code vigil verify DIR} said: the exit code, standard output and error (a failure's sentence). */
    record Result(int exit, String outText, String errText) {
    }

    private Result verify(Path dest) throws Exception {
        TestSupport.Invocation inv = new TestSupport.Invocation(false, dest.toString());
        int exit;
        try {
            exit = verifyCommand.execute(inv);
        } catch (org.vigil.api.command.CommandException e) {
            inv.err.println(e.getMessage());
            exit = e.exitCode();
        }
        return new Result(exit, inv.outText.toString(), inv.errText.toString());
    }

    private static List<String> lines(Path sums) throws Exception {
        return new ArrayList<>(Arrays.asList(Files.readString(sums, StandardCharsets.UTF_8).split("\n")));
    }

    private static void write(Path sums, List<String> lines) throws Exception {
        Files.writeString(sums, lines.stream().map(l -> l + "\n").collect(Collectors.joining()), StandardCharsets.UTF_8);
    }

    @Test
    void anEmptiedListIsNotIntact() throws Exception {
        Path dest = backup("verify-empty");
        Path sums = dest.resolve("SHA256SUMS");
        Files.writeString(sums, "");
        Result r = verify(dest);
        assertEquals(1, r.exit(), r.outText() + " " + r.errText());
        assertTrue(r.outText().contains("ALTERED    SHA256SUMS"), r.outText());
        assertFalse(r.outText().contains("Every listed file is intact"), r.outText());
        // the manifest still names the files: they were checked against it
        assertTrue(r.outText().contains("Checked 3 files"), r.outText());
        assertEquals(1, TestSupport.run(dest, Duration.ofSeconds(30), "sha256sum", "-c", "--strict", "SHA256SUMS")
                .exit(), "sha256sum agrees that an empty list checks nothing");

        Files.delete(dest.resolve("manifest.json"));
        Result bare = verify(dest);
        assertEquals(1, bare.exit(), bare.outText() + " " + bare.errText());
        assertTrue(bare.errText().contains("names no file"), bare.errText());
        assertFalse(bare.errText().contains("Exception"), bare.errText());
    }

    @Test
    void aLineLostWithItsFileIsMissingAndALineLostAloneIsAnAlteredList() throws Exception {
        Path dest = backup("verify-lost");
        Path sums = dest.resolve("SHA256SUMS");
        List<String> lines = lines(sums);
        String gone = SEGMENTS.get(1).relativePath();
        String kept = SEGMENTS.get(2).relativePath();
        assertTrue(lines.removeIf(l -> l.endsWith("  " + gone)), lines.toString());
        assertTrue(lines.removeIf(l -> l.endsWith("  " + kept)), lines.toString());
        write(sums, lines);
        Files.delete(dest.resolve(gone));
        // sha256sum alone cannot tell: the one line left checks out
        assertEquals(0, TestSupport.run(dest, Duration.ofSeconds(30), "sha256sum", "-c", "--strict", "SHA256SUMS")
                .exit());

        Result r = verify(dest);
        assertEquals(1, r.exit(), r.outText() + " " + r.errText());
        String out = r.outText();
        assertTrue(out.contains("MISSING    " + gone), out);
        assertTrue(out.contains("ALTERED    SHA256SUMS"), out);
        assertFalse(out.contains("ALTERED    " + kept), "the file whose line was lost is intact: " + out);
        assertFalse(out.contains("EXTRA      " + kept), "the manifest names it: " + out);
    }

    @Test
    void garbageLinesAreRefusedWithTheirLineNumber() throws Exception {
        Path dest = backup("verify-garbage");
        Path sums = dest.resolve("SHA256SUMS");
        List<String> lines = lines(sums);
        lines.add(1, "this is not a checksum line");
        write(sums, lines);
        Result r = verify(dest);
        assertEquals(1, r.exit(), r.outText() + " " + r.errText());
        String err = r.errText();
        assertTrue(err.contains("1 line that is not a checksum line (the first is line 2)"), err);
        assertFalse(r.outText().contains("intact"), r.outText());
    }

    @Test
    void aHugeListOfOneLineCostsBoundedMemoryAndIsRefused() throws Exception {
        Path dest = backup("verify-huge");
        Path sums = dest.resolve("SHA256SUMS");
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) 'a');
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        try (OutputStream out = Files.newOutputStream(sums)) {
            for (int i = 0; i < 300; i++) { // 300 MB without a line break
                out.write(block);
            }
        }
        Result r = verify(dest);
        assertEquals(1, r.exit(), r.outText() + " " + r.errText());
        assertTrue(r.errText().contains("1 line that is not a checksum line (the first is line 1)"),
                r.errText());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("verify of a 300 MB one-line list: heap in use %d MB before, %d MB after%n", before >> 20,
                after >> 20);
        Files.delete(sums);
    }
}
