package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.job.JobRunner;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * The Backup view (bundle org.vigil.ui.backup) in the running workbench with the real backup, storage and job
 * services: real recordings in the recordings tree and the catalog, backed up from the view to a folder that the real
 * {@code sha256sum -c} then checks.
 */
class BackupViewTest {
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final Instant DAY1 = LocalDateTime.parse("2024-03-01T10:00:00").atZone(ZONE).toInstant();
    private static final Instant DAY2 = LocalDateTime.parse("2024-03-02T10:00:00").atZone(ZONE).toInstant();
    private static final long BIG = 1L << 30;
    private static Segment big;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    BackupService backups;

    @InjectService(timeout = 20000)
    JobRunner jobs;

    WorkbenchWindow window;
    Display display;
    Composite view;
    Path dest;

    /** bv-front: 3 segments on day 1 and one on day 2; bv-back: 2 on day 1; bv-big: one of 1 GiB. */
    @BeforeAll
    static void recordings(@InjectService(timeout = 20000) StorageService storage,
            @InjectService(timeout = 20000) SegmentListener listener,
            @InjectService(timeout = 20000) RecordingCatalog catalog) throws Exception {
        Leaks.watch();
        Recordings.forget(storage, "bv-front", "bv-back", "bv-big");
        Path media = Recordings.media(4);
        Recordings.Writer copy = p -> Files.copy(media, p, StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < 3; i++) {
            Recordings.record(storage, listener, catalog, "bv-front", DAY1.plusSeconds(60L * i), Duration.ofSeconds(4),
                    copy);
        }
        Recordings.record(storage, listener, catalog, "bv-front", DAY2, Duration.ofSeconds(4), copy);
        for (int i = 0; i < 2; i++) {
            Recordings.record(storage, listener, catalog, "bv-back", DAY1.plusSeconds(30L * i), Duration.ofSeconds(4),
                    copy);
        }
        big = Recordings.record(storage, listener, catalog, "bv-big", DAY1, Duration.ofSeconds(600),
                BackupViewTest::bigFile);
    }

    /** Quick to make: sparse, with 1 MiB of random bytes every 32 MiB, so a copy still has to read it all. */
    private static void bigFile(Path file) throws java.io.IOException {
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long pos = 0; pos < BIG; pos += 32L << 20) {
                random.nextBytes(block);
                ch.write(ByteBuffer.wrap(block), pos);
            }
            ch.truncate(BIG);
        }
    }

    @AfterAll
    static void cleanUp(@InjectBundleContext BundleContext context,
            @InjectService(timeout = 20000) StorageService storage) throws Exception {
        Recordings.forget(storage, "bv-front", "bv-back", "bv-big");
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @BeforeEach
    void openTheBackupView() throws Exception {
        Workbench workbench = Ui.workbench(context);
        window = Ui.window(workbench);
        display = Ui.display(workbench);
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Backup").control();
        Ui.waitUntilOnUi(display, "the cameras are listed", () -> Ui.rowOf(cameras(), 0, "bv-big") >= 0);
        dest = Files.createDirectories(Recordings.target().resolve("backup-view").resolve("d" + System.nanoTime()));
    }

    @AfterEach
    void noJobLeftRunning() throws Exception {
        jobs.active().forEach(j -> j.cancel());
        Ui.waitUntil("no job runs", () -> jobs.active().isEmpty());
        Recordings.run(dest.getParent(), "rm", "-rf", dest.toString());
    }

    private Table cameras() {
        return Ui.controls(view, Table.class).get(0);
    }

    private void tick(String camera) {
        Ui.run(display, () -> {
            Table t = cameras();
            Ui.check(t, Ui.rowOf(t, 0, camera));
        });
    }

    private void fill(String label, String text) {
        Ui.run(display, () -> Ui.type(Ui.field(view, label, Text.class), text));
    }

    private boolean labelSays(String start) {
        return Ui.call(display, () -> Ui.hasLabel(view, t -> t.startsWith(start)));
    }

    private String labelStarting(String start) {
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream().map(Label::getText)
                .filter(t -> t.startsWith(start)).findFirst().orElse(""));
    }

    private boolean startEnabled() {
        return Ui.call(display, () -> Ui.button(view, "Start backup").isEnabled());
    }

    private void click(String button) {
        Ui.run(display, () -> Ui.click(Ui.button(view, button)));
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aBackupStartedFromTheViewEndsWithASummaryAndSha256sumChecksIt() throws Exception {
        tick("bv-front");
        tick("bv-back");
        fill("From", "2024-03-01");
        fill("To", "2024-03-02");
        fill("Destination", dest.toString());
        Ui.waitUntil("the plan is shown", () -> labelSays("5 files (") && startEnabled());
        assertTrue(labelStarting("5 files (").contains("5 to copy"), labelStarting("5 files ("));
        assertTrue(labelStarting("5 files (").contains("free at the destination"), labelStarting("5 files ("));
        click("Start backup");
        Ui.waitUntil("the summary is shown", () -> labelSays("Backup complete") || labelSays("Backup failed"));
        String summary = labelStarting("Backup complete");
        assertTrue(summary.startsWith("Backup complete: 5 files copied"), summary);
        assertTrue(summary.contains("Verified: all 5 new copies read back and match."), summary);
        assertTrue(summary.contains("Manifest: " + dest.resolve("manifest.json")), summary);
        assertTrue(Files.exists(dest.resolve("manifest.json")));
        Ui.waitUntil("the new plan says everything is there", () -> labelSays("5 files (")
                && labelStarting("5 files (").endsWith("Everything selected is at the destination already."));
        assertFalse(startEnabled(), "nothing is left to copy");

        String check = Recordings.run(dest, "sha256sum", "-c", "--strict", "SHA256SUMS");
        assertEquals(5, check.lines().filter(l -> l.endsWith(": OK")).count(), check);
        assertTrue(check.contains("bv-front/20240301/") && check.contains("bv-back/20240301/"), check);
        assertFalse(check.contains("20240302"), "day 2 is outside the time range: " + check);

        Path shot = Ui.screenshot(context, display, window, "workbench-backup.png");
        assertTrue(Files.size(shot) > 10_000, shot + " is too small to show anything");
    }

    @Test
    void aDestinationTooSmallShowsTheSentenceAndStartsNothing() throws Exception {
        Recordings.run(dest, "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dest.toString());
        try {
            tick("bv-front");
            fill("Destination", dest.toString());
            String sentence = backups.plan(backups.request(dest).withCameras(Set.of("bv-front"))).problems().get(0);
            assertTrue(sentence.contains("space"), sentence);
            Ui.waitUntil("the refusal is shown", () -> labelSays(sentence));
            assertFalse(startEnabled());
            click("Start backup");
            assertTrue(jobs.active().isEmpty(), "a job started: " + jobs.active());
            assertEquals(List.of(), files(dest), "something was written");
        } finally {
            Recordings.run(dest.getParent(), "umount", "-l", dest.toString());
        }
    }

    @Test
    void aDestinationThatIsNotAFolderShowsTheSentenceAndStartsNothing() throws Exception {
        Path missing = dest.resolve("not-there");
        tick("bv-front");
        fill("Destination", missing.toString());
        BackupRequest request = backups.request(missing).withCameras(Set.of("bv-front"));
        String sentence = backups.plan(request).problems().get(0);
        Ui.waitUntil("the refusal is shown", () -> labelSays(sentence));
        assertFalse(startEnabled());
        click("Start backup");
        assertTrue(jobs.active().isEmpty(), "a job started: " + jobs.active());
        assertFalse(Files.exists(missing));

        fill("From", "yesterday");
        Ui.waitUntil("the bad time is explained", () -> labelSays("The start 'yesterday' is not a time;"));
        assertFalse(startEnabled());
    }

    @Test
    void aBackupGoesOnWhileTheViewIsClosedAndACancelLeavesNoPartialFile() throws Exception {
        tick("bv-big");
        fill("Destination", dest.toString());
        Ui.waitUntil("the plan allows a start", this::startEnabled);
        click("Start backup");
        Path target = dest.resolve(big.relativePath());
        Ui.waitUntil("the copy is under way", () -> labelSays("Copying: ") && Files.exists(
                target.resolveSibling(target.getFileName() + ".part")));
        assertTrue(labelStarting("Copying: ").contains(" of 1 files"), labelStarting("Copying: "));

        Ui.open(display, window, "About");
        assertEquals(1, jobs.active().size(), "the backup stopped with the view");
        view = Ui.open(display, window, "Backup").control();
        Ui.waitUntil("the running backup is shown again", () -> labelSays("Copying: ") || labelSays("Verifying"));
        assertTrue(Ui.call(display, () -> Ui.button(view, "Cancel backup").isEnabled()), "Cancel is offered again");

        // closing the window asks about this backup; staying keeps it running
        String name = jobs.active().get(0).name();
        Ui.run(display, () -> window.shell().close());
        Ui.waitUntilOnUi(display, "the question is asked", () -> window.closingDialog().isPresent());
        org.eclipse.swt.widgets.Shell dialog = Ui.call(display, () -> window.closingDialog().get().shell());
        assertTrue(Ui.call(display, () -> Ui.hasLabel(dialog, t -> t.startsWith("The job '" + name + "'"))),
                "the dialog names the backup " + name);
        Ui.run(display, () -> Ui.click(Ui.button(dialog, ClosingDialog.STAY_LABEL)));
        Ui.waitUntilOnUi(display, "the dialog is gone", () -> window.closingDialog().isEmpty());
        assertEquals(1, jobs.active().size(), "the backup goes on");

        click("Cancel backup");
        Ui.waitUntil("the cancel is reported", () -> labelSays("Backup cancelled"));
        assertTrue(jobs.active().isEmpty());
        assertEquals(List.of(), files(dest).stream().filter(f -> f.endsWith(".part") || f.contains("bv-big/"))
                .toList(), "a partial file was left");
        assertFalse(Files.exists(target));
    }
}
