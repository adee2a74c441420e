package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * The Playback view (bundle org.vigil.ui.playback) in the running workbench against the real storage catalog and
 * playback service, over real H.264 recordings: the timeline shows what was recorded, a click seeks there and the
 * picture changes, play and pause, export of a range to a file ffprobe reads, and ten open/close cycles without
 * leaks or sessions left open.
 */
class PlaybackViewTest {
    static final String CAMERA = "pbview-" + Recordings.RUN;
    static final Pattern STATE = Pattern.compile("(Starting|Playing|Paused|No recording|End of the recordings|Failed)"
            + " at (\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d).*");

    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = 20000)
    PlaybackService playback;

    WorkbenchWindow window;
    Display display;
    Composite view;

    @BeforeAll
    static void record(@InjectService(timeout = 20000) StorageService storage,
            @InjectService(timeout = 20000) SegmentListener listener,
            @InjectService(timeout = 20000) RecordingCatalog catalog) throws Exception {
        Leaks.watch();
        Recordings.record(storage, listener, catalog, CAMERA, Recordings.BASE, 3);
    }

    @AfterAll
    static void nothingLeaked(@InjectBundleContext BundleContext context) {
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @BeforeEach
    void openThePlaybackView() {
        Workbench workbench = Ui.workbench(context);
        window = Ui.window(workbench);
        display = Ui.display(workbench);
        openWithCamera();
    }

    private void openWithCamera() {
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Playback").control();
        Table cameras = Ui.call(display, () -> Ui.controls(view, Table.class).get(0));
        Ui.waitUntilOnUi(display, "the camera is listed", () -> Ui.rowOf(cameras, 0, CAMERA) >= 0);
        Ui.run(display, () -> {
            TableItem item = cameras.getItem(Ui.rowOf(cameras, 0, CAMERA));
            item.setChecked(true);
            Event e = new Event();
            e.item = item;
            e.detail = SWT.CHECK;
            cameras.notifyListeners(SWT.Selection, e);
        });
        Ui.waitUntil("the first picture is shown paused", () -> state().filter(m -> m.group(1).equals("Paused"))
                .isPresent());
    }

    private Optional<Matcher> state() {
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream().map(l -> STATE.matcher(l.getText()))
                .filter(Matcher::matches).findFirst());
    }

    private Instant position() {
        LocalTime t = LocalTime.parse(state().orElseThrow().group(2), DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
        return Recordings.BASE.atZone(ZoneId.systemDefault()).toLocalDate().atTime(t).atZone(ZoneId.systemDefault())
                .toInstant();
    }

    private Canvas timeline() {
        // the video area is the first canvas, the timeline the second
        return Ui.call(display, () -> Ui.controls(view, Canvas.class).get(1));
    }

    private Canvas video() {
        return Ui.call(display, () -> Ui.controls(view, Canvas.class).get(0));
    }

    private void click(String button) {
        Ui.run(display, () -> Ui.click(Ui.button(view, button)));
    }

    private long videoChecksum() {
        Canvas video = video();
        ImageData d = Ui.call(display, () -> Ui.capture(video));
        CRC32 c = new CRC32();
        c.update(d.data);
        return c.getValue();
    }

    @Test
    void theTimelineShowsTheRecordedSpanAndAClickSeeksThere() throws Exception {
        Ui.waitUntilOnUi(display, "the day's coverage is summed up", () -> Ui.hasLabel(view,
                t -> t.equals("Recorded on 2026-01-10: 12 s from 10:00:00 to 10:00:12, 0 gaps.")));
        assertEquals(Recordings.BASE, position(), "the first picture is the first recorded instant");

        Canvas timeline = timeline();
        RGB gap = Ui.call(display, () -> display.getSystemColor(SWT.COLOR_DARK_GRAY).getRGB());
        click("Fit"); // the timeline shows exactly 10:00:00 to 10:00:12
        click("Zoom out"); // now 09:59:54 to 10:00:18: gaps at both ends
        String[] seen = { "" };
        try {
            Ui.waitUntilOnUi(display, "the recorded span is painted between gaps", () -> {
                ImageData d = Ui.capture(timeline);
                int y = d.height - 6;
                seen[0] = d.width + "x" + d.height + " " + Ui.rgb(d, d.width / 20, y) + " "
                        + Ui.rgb(d, d.width / 2, y) + " " + Ui.rgb(d, d.width - d.width / 20, y) + " gap " + gap;
                return Ui.rgb(d, d.width / 20, y).equals(gap) && !Ui.rgb(d, d.width / 2, y).equals(gap)
                        && Ui.rgb(d, d.width - d.width / 20, y).equals(gap);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " Seen: " + seen[0], e);
        }

        click("Fit");
        long before = videoChecksum();
        int width = Ui.call(display, () -> timeline.getClientArea().width);
        Instant target = Recordings.BASE.plusSeconds(8);
        Ui.run(display, () -> {
            Event down = new Event();
            down.button = 1;
            down.x = width * 8 / 12;
            down.y = 30;
            timeline.notifyListeners(SWT.MouseDown, down);
            Event up = new Event();
            up.button = 1;
            up.x = down.x;
            up.y = 30;
            timeline.notifyListeners(SWT.MouseUp, up);
        });
        Ui.waitUntil("the session reports the clicked time", () -> state().filter(m -> m.group(1).equals("Paused"))
                .isPresent() && Duration.between(target, position()).abs().toMillis() <= 200);
        Ui.waitUntil("the picture changes to the new time", () -> videoChecksum() != before);

        click("Play");
        Ui.waitUntil("it plays", () -> state().filter(m -> m.group(1).equals("Playing")).isPresent());
        Ui.waitUntilOnUi(display, "the button offers to pause", () -> Ui.button(view, "Pause") != null);
        click("Pause");
        Ui.waitUntil("it pauses", () -> state().filter(m -> m.group(1).equals("Paused")).isPresent());
        Path shot = Ui.screenshot(context, display, window, "workbench-playback.png");
        assertTrue(Files.size(shot) > 10_000, shot + " is too small to show anything");
    }

    @Test
    void exportingARangeWritesAClipThatFfprobeReads() throws Exception {
        Path file = Recordings.work("export").resolve("clip.mp4");
        Ui.run(display, () -> {
            Ui.type(Ui.field(view, "From", Text.class), "ten");
            Ui.type(Ui.field(view, "To", Text.class), "10:00:06");
            Ui.type(Ui.field(view, "Export to", Text.class), file.toString());
        });
        click("Export");
        assertTrue(Ui.call(display, () -> Ui.hasLabel(view, t -> t.startsWith("Type the start and the end of the"
                + " clip as HH:MM:SS"))), "bad input is explained");
        assertEquals("ten", Ui.call(display, () -> Ui.field(view, "From", Text.class).getText()), "input is kept");

        Ui.run(display, () -> Ui.type(Ui.field(view, "From", Text.class), "10:00:02"));
        click("Export");
        Ui.waitUntilOnUi(display, "the export names its file",
                () -> Ui.hasLabel(view, t -> t.startsWith("Exported ") && t.endsWith(" to " + file + ".")));
        assertTrue(Files.size(file) > 1000, "the clip has content");
        assertEquals("", Recordings.ffprobeErrors(file), "ffprobe reads the clip");
        assertTrue(Ui.call(display, () -> Ui.button(view, "Export").isEnabled()));
        assertTrue(Ui.call(display, () -> Ui.controls(view, Button.class).stream()
                .noneMatch(b -> b.getText().equals("Cancel") && b.isVisible())), "cancel is hidden once done");
    }

    @Test
    void openingAndClosingTenTimesLeavesNothingBehind() throws Exception {
        Ui.open(display, window, "About");
        long fds = Ui.openFileDescriptors();
        for (int i = 0; i < 10; i++) {
            openWithCamera();
            Ui.open(display, window, "About");
        }
        Ui.waitUntil("every playback session is closed", () -> openSessions() == 0);
        Leaks.assertNoneReported(display);
        long grown = Ui.openFileDescriptors() - fds;
        assertTrue(grown < 10, "open file descriptors grew by " + grown);
    }

    private int openSessions() {
        try {
            Method m = playback.getClass().getDeclaredMethod("openSessions");
            m.setAccessible(true);
            return (Integer) m.invoke(playback);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("The playback service does not count its sessions: " + e);
        }
    }
}
