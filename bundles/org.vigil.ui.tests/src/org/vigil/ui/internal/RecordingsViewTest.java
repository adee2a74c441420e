package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.sqlite.SQLiteConfig;
import org.vigil.api.command.Bytes;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * The Recordings view (bundle org.vigil.ui.recordings) against the real catalog and storage, over real recording
 * files: the list pages through them, a deletion asks with the dry run's numbers and then removes the files from
 * disk and list, protected recordings are kept by a deletion until unprotected, a running deletion can be stopped,
 * and ten open/close cycles leave nothing behind.
 */
class RecordingsViewTest {
    static final String PAGED = "recpaged-" + Recordings.RUN;
    static final String DELETED = "recdel-" + Recordings.RUN;
    static final String CANCELLED = "reccancel-" + Recordings.RUN;
    static final String PROTECTED = "recprot-" + Recordings.RUN;
    static final Instant DAY2 = Recordings.BASE.plusSeconds(86_400); // 2026-01-11 10:00 local
    static List<Path> deletedFiles;
    static List<Path> cancelledFiles;
    static List<Path> protectedFiles;

    @InjectBundleContext
    BundleContext context;

    WorkbenchWindow window;
    Display display;
    Composite view;

    @BeforeAll
    static void record(@InjectService(timeout = 20000) StorageService storage,
            @InjectService(timeout = 20000) SegmentListener listener,
            @InjectService(timeout = 20000) RecordingCatalog catalog) throws Exception {
        Leaks.watch();
        Recordings.record(storage, listener, catalog, PAGED, DAY2, 130);
        deletedFiles = Recordings.record(storage, listener, catalog, DELETED, DAY2, 6);
        cancelledFiles = Recordings.record(storage, listener, catalog, CANCELLED, DAY2, 200);
        protectedFiles = Recordings.record(storage, listener, catalog, PROTECTED, DAY2, 6);
    }

    @AfterAll
    static void nothingLeaked(@InjectBundleContext BundleContext context) {
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @BeforeEach
    void openTheView() {
        Workbench workbench = Ui.workbench(context);
        window = Ui.window(workbench);
        display = Ui.display(workbench);
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Recordings").control();
        Ui.waitUntilOnUi(display, "the list is loaded", () -> Ui.hasLabel(view, t -> t.startsWith("Showing ")));
    }

    private void chooseCamera(String camera) {
        Ui.waitUntilOnUi(display, "the camera is offered", () -> combo("Camera").indexOf(camera) >= 0);
        Ui.run(display, () -> {
            Combo c = combo("Camera");
            c.select(c.indexOf(camera));
            c.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        });
    }

    private Combo combo(String label) {
        return Ui.field(view, label, Combo.class);
    }

    private int rows() {
        return Ui.call(display, () -> Ui.controls(view, Table.class).get(0).getItemCount());
    }

    private void click(String button) {
        Ui.run(display, () -> Ui.click(Ui.button(view, button)));
    }

    private boolean says(String text) {
        return Ui.call(display, () -> Ui.hasLabel(view, t -> t.equals(text)));
    }

    private String label(Pattern p) {
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream().map(Label::getText)
                .filter(t -> p.matcher(t).matches()).findFirst().orElse(null));
    }

    private void range(String from, String to) {
        Ui.run(display, () -> {
            Ui.type(Ui.field(view, "From", Text.class), from);
            Ui.type(Ui.field(view, "To", Text.class), to);
        });
    }

    @Test
    void theListShowsTheRecordingsPageByPage() {
        chooseCamera(PAGED);
        Ui.waitUntil("the first page is shown", () -> says("Showing 100 recordings; more follow."));
        assertEquals(100, rows());
        assertEquals("2026-01-11 10:00:00", Ui.call(display,
                () -> Ui.controls(view, Table.class).get(0).getItem(0).getText(1)));
        click("Load more");
        Ui.waitUntil("the second page is added", () -> says("Showing 130 recordings."));
        assertEquals(130, rows());
        assertFalse(Ui.call(display, () -> Ui.button(view, "Load more").isEnabled()), "no page follows");
        assertEquals("2026-01-11 10:08:36", Ui.call(display,
                () -> Ui.controls(view, Table.class).get(0).getItem(129).getText(1)));
    }

    @Test
    void deletingARangeAsksWithTheRightNumbersThenRemovesTheFiles() throws Exception {
        chooseCamera(DELETED);
        Ui.waitUntil("the camera's recordings are listed", () -> says("Showing 6 recordings."));
        long bytes = 0;
        for (Path p : deletedFiles.subList(0, 3)) {
            bytes += Files.size(p);
        }
        String size = Bytes.text(bytes);
        String question = "Delete 3 files (" + size + ") of '" + DELETED
                + "' from 2026-01-11 10:00:00 to 2026-01-11 10:00:12? This cannot be undone.";
        range("2026-01-11 10:00:00", "2026-01-11 10:00:12");
        click("Delete range...");
        Ui.waitUntil("the question shows the dry run's numbers", () -> says(question));
        click("Keep");
        assertTrue(deletedFiles.stream().allMatch(Files::exists), "keeping deletes nothing");

        click("Delete range...");
        Ui.waitUntil("asked again", () -> says(question));
        click("Delete");
        Ui.waitUntil("the deletion is reported", () -> says("Deleted 3 files (" + size + ")."));
        for (int i = 0; i < 6; i++) {
            assertEquals(i >= 3, Files.exists(deletedFiles.get(i)), deletedFiles.get(i).toString());
        }
        Ui.waitUntil("the list shows the rest", () -> says("Showing 3 recordings.") && rows() == 3);
    }

    @Test
    void aRunningDeletionCanBeStopped() throws Exception {
        chooseCamera(CANCELLED);
        Ui.waitUntil("the camera's recordings are listed", () -> says("Showing 100 recordings; more follow."));
        range("2026-01-11 10:00:00", "2026-01-11 11:00:00");
        click("Delete range...");
        Ui.waitUntil("asked", () -> label(Pattern.compile("Delete 200 files .*")) != null);
        // A slow disk, made certain: hold the catalog's write lock (as a long write would), so the job waits at its
        // first batch whatever the speed of this machine; Cancel is pressed while it waits.
        try (Connection slowDisk = writeLock(Path.of(context.getProperty("vigil.data"), "catalog.db"))) {
            Ui.run(display, () -> Ui.click(Ui.button(view, "Delete")));
            Ui.waitUntilOnUi(display, "cancel is offered", () -> Ui.controls(view,
                    org.eclipse.swt.widgets.Button.class).stream()
                    .anyMatch(b -> b.getText().equals("Cancel") && b.isVisible()));
            click("Cancel");
            slowDisk.rollback();
        }
        Pattern stopped = Pattern.compile("Deletion stopped after (\\d+) of 200 files\\.");
        try {
            Ui.waitUntil("the deletion stops", () -> label(stopped) != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " The view says: " + Ui.call(display, () -> Ui.controls(view,
                    Label.class).stream().map(Label::getText).filter(t -> !t.isBlank()).toList()), e);
        }
        Matcher m = stopped.matcher(label(stopped));
        assertTrue(m.matches());
        int done = Integer.parseInt(m.group(1));
        assertTrue(done < 200, "stopped before the end");
        long left = cancelledFiles.stream().filter(Files::exists).count();
        assertEquals(200 - done, left, "the files not deleted are still on disk");
    }

    @Test
    void protectedRecordingsSurviveADeletionUntilUnprotected() throws Exception {
        chooseCamera(PROTECTED);
        Ui.waitUntil("the camera's recordings are listed", () -> says("Showing 6 recordings."));
        selectRows(0, 1);
        click("Protect");
        Ui.waitUntil("the protection is reported", () -> says("Protected 2 recordings."));
        Ui.waitUntil("the list marks them", () -> protectedColumn().equals(List.of("Yes", "Yes", "", "", "", "")));

        range("2026-01-11 10:00:00", "2026-01-11 10:00:24");
        click("Delete range...");
        Ui.waitUntil("the question counts the protected recordings out", () -> label(Pattern.compile("Delete 4 files"
                + " \\(.*\\) of '" + PROTECTED + "' .*\\? 2 protected recordings are kept\\. This cannot be undone\\."))
                != null);
        click("Delete");
        Ui.waitUntil("the deletion says what it kept", () -> label(Pattern.compile(
                "Deleted 4 files \\(.*\\); 2 protected recordings were kept\\.")) != null);
        for (int i = 0; i < 6; i++) {
            assertEquals(i < 2, Files.exists(protectedFiles.get(i)), protectedFiles.get(i).toString());
        }
        Ui.waitUntil("the list shows the protected ones", () -> says("Showing 2 recordings.") && rows() == 2);

        selectRows(0, 1);
        click("Unprotect");
        Ui.waitUntil("the unprotection is reported", () -> says("Unprotected 2 recordings."));
        Ui.waitUntil("the list no longer marks them", () -> protectedColumn().equals(List.of("", "")));
        click("Delete range...");
        Ui.waitUntil("asked for the two", () -> label(Pattern.compile("Delete 2 files .* This cannot be undone\\."))
                != null);
        click("Delete");
        Ui.waitUntil("the deletion is reported", () -> label(Pattern.compile("Deleted 2 files \\(.*\\)\\.")) != null);
        assertTrue(protectedFiles.stream().noneMatch(Files::exists), "every file is gone");
        // with nothing left the camera stays chosen and shows none (not every other camera's recordings)
        Ui.waitUntil("the emptied camera's list is empty", () -> says("No recordings match.") && rows() == 0);
        assertEquals(PROTECTED, Ui.call(display, () -> combo("Camera").getText()), "the camera is still chosen");
    }

    /** Selects rows as a user does with Ctrl-click (setSelection alone fires no event). */
    private void selectRows(int... indices) {
        Ui.run(display, () -> {
            Table t = Ui.controls(view, Table.class).get(0);
            t.setSelection(indices);
            org.eclipse.swt.widgets.Event e = new org.eclipse.swt.widgets.Event();
            e.item = t.getItem(indices[0]);
            t.notifyListeners(SWT.Selection, e);
        });
    }

    private List<String> protectedColumn() {
        return Ui.call(display, () -> java.util.stream.Stream.of(Ui.controls(view, Table.class).get(0).getItems())
                .map(i -> i.getText(5)).toList());
    }

    /** A connection to the SQLite file holding its write lock until it is rolled back or closed. */
    private static Connection writeLock(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        Connection c = config.createConnection("jdbc:sqlite:" + db);
        c.setAutoCommit(false); // BEGIN IMMEDIATE: the write lock is taken now
        return c;
    }

    @Test
    void openingAndClosingTenTimesLeavesNothingBehind() {
        Ui.open(display, window, "About");
        long fds = Ui.openFileDescriptors();
        for (int i = 0; i < 10; i++) {
            view = Ui.open(display, window, "Recordings").control();
            Ui.waitUntilOnUi(display, "the list is loaded", () -> Ui.hasLabel(view, t -> t.startsWith("Showing ")));
            Ui.open(display, window, "About");
        }
        Leaks.assertNoneReported(display);
        long grown = Ui.openFileDescriptors() - fds;
        assertTrue(grown < 10, "open file descriptors grew by " + grown);
    }
}
