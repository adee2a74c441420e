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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
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
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * The Playback view (bundle org.vigil.ui.playback) in the running workbench against the real storage catalog and
 * playback service, over real H.264 recordings: the timeline shows what was recorded, a click seeks there and the
 * picture changes, play and pause, speed, step, snapshots (PNG and JPEG) of the time shown, two cameras in step,
 * export of a range to a file ffprobe reads and a cancelled export that leaves nothing, and ten open/close cycles
 * without leaks or sessions left open.
 */
class PlaybackViewTest {
    static final String CAMERA = "pbview-" + Recordings.RUN;
    /** 32 s from {@link Recordings#BASE}, the same files in the same order as {@link #CAMERA}'s first 12 s. */
    static final String CAMERA2 = "pbview2-" + Recordings.RUN;
    /** 160 s from {@link Recordings#BASE} (40 files, about 7 MB): an export long enough to be stopped. */
    static final String LONG = "pblong-" + Recordings.RUN;
    static final Pattern STATE = Pattern.compile("(Starting|Playing|Paused|No recording|End of the recordings|Failed)"
            + " at (\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d).*");

    /** Positions in a failure's trace: always with milliseconds (an Instant's text drops them at .000). */
    private static final DateTimeFormatter TRACE_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @InjectBundleContext
    BundleContext context;
    @InjectService(timeout = 20000)
    PlaybackService playback;
    @InjectService(timeout = 20000)
    JobRunner jobs;

    WorkbenchWindow window;
    /** The positions {@link #rate} saw, for a failure's message. */
    String trace = "";
    String tiles = "";
    Display display;
    Composite view;

    @BeforeAll
    static void record(@InjectService(timeout = 20000) StorageService storage,
            @InjectService(timeout = 20000) SegmentListener listener,
            @InjectService(timeout = 20000) RecordingCatalog catalog) throws Exception {
        Leaks.watch();
        Recordings.record(storage, listener, catalog, CAMERA, Recordings.BASE, 3);
        Recordings.record(storage, listener, catalog, CAMERA2, Recordings.BASE, 8);
        Recordings.record(storage, listener, catalog, LONG, Recordings.BASE, 40);
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
        openWith(CAMERA);
    }

    /** Opens the view afresh and checks the cameras, as a user does; waits for the first picture, paused. */
    private void openWith(String... chosen) {
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Playback").control();
        Table cameras = Ui.call(display, () -> Ui.controls(view, Table.class).get(0));
        for (String camera : chosen) {
            Ui.waitUntilOnUi(display, "the camera " + camera + " is listed", () -> Ui.rowOf(cameras, 0, camera) >= 0);
            Ui.run(display, () -> Ui.check(cameras, Ui.rowOf(cameras, 0, camera)));
        }
        Ui.waitUntil("the first picture is shown paused", () -> state().filter(m -> m.group(1).equals("Paused"))
                .isPresent());
    }

    private boolean isPaused() {
        return state().filter(m -> m.group(1).equals("Paused")).isPresent();
    }

    /** Seeks by a click on the fitted timeline, which spans {@code spanSeconds} from BASE; waits until it is there. */
    private void seekByClick(int second, int spanSeconds) {
        click("Fit");
        Canvas timeline = timeline();
        int width = Ui.call(display, () -> timeline.getClientArea().width);
        Ui.run(display, () -> {
            Event down = new Event();
            down.button = 1;
            down.x = width * second / spanSeconds;
            down.y = 30;
            timeline.notifyListeners(SWT.MouseDown, down);
            Event up = new Event();
            up.button = 1;
            up.x = down.x;
            up.y = 30;
            timeline.notifyListeners(SWT.MouseUp, up);
        });
        Instant target = Recordings.BASE.plusSeconds(second);
        // state and time from one reading of the label: read twice, "Paused" could be the state before the seek
        // and the time already the seek's own (while it is still starting)
        Ui.waitUntil("the session reports " + target, () -> state().filter(m -> m.group(1).equals("Paused")
                && Duration.between(target, timeOf(m)).abs().toMillis() <= 200).isPresent());
    }

    private void chooseSpeed(String text) {
        Ui.run(display, () -> {
            Combo speed = Ui.find(view, Combo.class, c -> c.indexOf("4x") >= 0, "speed choice");
            speed.select(speed.indexOf(text));
            speed.notifyListeners(SWT.Selection, new Event());
        });
        Ui.waitUntil("the session plays at " + text, () -> state().filter(m -> m.group(0).contains(", " + text))
                .isPresent());
    }

    private String says(Pattern p) {
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream().map(Label::getText)
                .filter(t -> p.matcher(t).matches()).findFirst().orElse(null));
    }

    /** Takes a snapshot in {@code format} from the view; returns the file the view names, after checking it. */
    private Path snapshot(String format) {
        Pattern saved = Pattern.compile("Saved the picture of '" + Pattern.quote(CAMERA) + "' at (\\S+) to (.+)\\.");
        String before = String.valueOf(says(saved));
        Ui.run(display, () -> {
            Combo c = Ui.field(view, "Format", Combo.class);
            c.select(c.indexOf(format));
            c.notifyListeners(SWT.Selection, new Event());
        });
        click("Snapshot");
        Ui.waitUntil("the view says where the picture went", () -> says(saved) != null
                && !says(saved).equals(before));
        Matcher m = saved.matcher(says(saved));
        assertTrue(m.matches());
        LocalTime shown = LocalTime.parse(state().orElseThrow().group(2));
        String stateText = state().orElseThrow().group(0);
        LocalTime pictured = LocalTime.parse(m.group(1));
        assertTrue(Duration.between(shown, pictured).abs().toMillis() <= 40, "the picture (" + pictured
                + ") is of the time shown (" + shown + "): " + stateText);
        Path file = Path.of(m.group(2));
        assertTrue(Files.isRegularFile(file), file + " was written");
        return file;
    }

    /** The mean difference of two pictures of one size, 0 to 255 per channel. */
    private static double difference(ImageData a, ImageData b) {
        assertEquals(a.width + "x" + a.height, b.width + "x" + b.height, "pictures of one size");
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.height; y += 2) {
            for (int x = 0; x < a.width; x += 2) {
                RGB p = Ui.rgb(a, x, y);
                RGB q = Ui.rgb(b, x, y);
                sum += Math.abs(p.red - q.red) + Math.abs(p.green - q.green) + Math.abs(p.blue - q.blue);
                n += 3;
            }
        }
        return (double) sum / n;
    }

    /** The number of different colours in a picture (a blank picture has one or two). */
    private static long colours(ImageData d) {
        return java.util.stream.IntStream.range(0, d.height / 4).flatMap(y -> java.util.stream.IntStream
                .range(0, d.width / 4).map(x -> d.getPixel(x * 4, y * 4))).distinct().count();
    }

    private Optional<Matcher> state() {
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream().map(l -> STATE.matcher(l.getText()))
                .filter(Matcher::matches).findFirst());
    }

    private Instant position() {
        return timeOf(state().orElseThrow());
    }

    /** The time of a state label's reading. */
    private static Instant timeOf(Matcher state) {
        LocalTime t = LocalTime.parse(state.group(2), DateTimeFormatter.ofPattern("HH:mm:ss.SSS"));
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

        long before = videoChecksum();
        seekByClick(8, 12);
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
    void aSnapshotSavesThePictureAtThePositionShown() throws Exception {
        Path folder = Recordings.work("snapshots");
        click("Snapshot");
        Ui.waitUntil("a snapshot without a folder is explained", () -> says(Pattern.compile(
                "Name the folder for the pictures \\(Folder\\.\\.\\.\\), then take the snapshot again\\.")) != null);
        Ui.run(display, () -> Ui.type(Ui.field(view, "Pictures to", Text.class), folder.toString()));

        seekByClick(2, 12);
        ImageData first = new ImageData(snapshot("PNG").toString());
        assertEquals(320, first.width, "the recording's own width");
        assertEquals(240, first.height, "the recording's own height");
        assertTrue(colours(first) > 20, "the picture shows something (" + colours(first) + " colours)");

        seekByClick(9, 12);
        Path secondFile = snapshot("PNG");
        ImageData second = new ImageData(secondFile.toString());
        ImageData jpeg = new ImageData(snapshot("JPEG").toString());
        assertEquals(SWT.IMAGE_JPEG, jpeg.type, "a JPEG file");
        assertEquals(SWT.IMAGE_PNG, second.type, "a PNG file");
        double moved = difference(first, second);
        double sameTime = difference(second, jpeg);
        assertTrue(moved > 2 * sameTime && moved > 1, "pictures 7 s apart differ (" + moved
                + ") more than a PNG and a JPEG of one instant (" + sameTime + ")");
        try (var files = Files.list(folder)) {
            assertEquals(3, files.count(), "one file a snapshot");
        }
    }

    @Test
    void atFourTimesTheSpeedThePositionAdvancesAboutFourTimesFaster() {
        openWith(CAMERA2);
        click("Play");
        Ui.waitUntil("it plays", () -> state().filter(m -> m.group(1).equals("Playing")).isPresent());
        double normal = rate(Duration.ofSeconds(2));
        chooseSpeed("4x");
        String normalTrace = trace;
        double fast = rate(Duration.ofSeconds(6));
        double ratio = fast / normal;
        System.out.printf("Playback view speed: 1x shows %.2f recorded s per s, 4x %.2f (ratio %.2f)%n", normal, fast,
                ratio);
        assertTrue(ratio > 2.5 && ratio < 6, "4x against 1x: " + ratio + " (1x: " + normal + " s/s, 4x: " + fast
                + " s/s). Positions seen at 1x:" + normalTrace + "; at 4x:" + trace);
        click("Pause");
        Ui.waitUntil("it pauses", this::isPaused);
    }

    /** Recorded seconds shown per wall-clock second while the position advances by {@code advance}. */
    private double rate(Duration advance) {
        Instant from = position();
        Ui.waitUntil("the position moves", () -> !position().equals(from));
        Instant start = position();
        long t0 = System.nanoTime();
        Instant[] at = { start };
        StringBuilder trace = new StringBuilder();
        Ui.waitUntil("the position advances by " + advance, () -> {
            at[0] = position();
            trace.append(String.format(" %d ms:%s", (System.nanoTime() - t0) / 1_000_000,
                    TRACE_TIME.format(at[0].atZone(ZoneId.systemDefault()))));
            return Duration.between(start, at[0]).compareTo(advance) >= 0;
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        this.trace = trace.toString();
        return Duration.between(start, at[0]).toMillis() / 1000.0 / wall;
    }

    @Test
    void stepWhilePausedShowsTheNextFrame() {
        seekByClick(3, 12);
        // a click lands between two frames: the first step goes to the next frame's own time (at most 40 ms on)
        Instant clicked = position();
        click("Step");
        Ui.waitUntil("the position moves on to the next frame", () -> position().isAfter(clicked));
        Instant before = position();
        assertTrue(Duration.between(clicked, before).toMillis() <= 40, clicked + " to " + before);
        long picture = videoChecksum();
        click("Step");
        Instant[] seen = { before };
        try {
            Ui.waitUntil("the position is one frame (40 ms) later", () -> (seen[0] = position())
                    .equals(before.plusMillis(40)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " From " + before + ", seen " + seen[0], e);
        }
        Ui.waitUntil("the picture changes", () -> videoChecksum() != picture);
        assertTrue(isPaused(), "stepping leaves it paused");
    }

    @Test
    void cancellingARunningExportLeavesNoFileAndSaysSo() throws Exception {
        openWith(LONG);
        Path folder = Recordings.work("export-cancel");
        Path file = folder.resolve("clip.mp4");
        Ui.run(display, () -> {
            Ui.type(Ui.field(view, "From", Text.class), "10:00:00");
            Ui.type(Ui.field(view, "To", Text.class), "10:02:40");
            Ui.type(Ui.field(view, "Export to", Text.class), file.toString());
        });
        // Both job workers are held busy, so the export waits in the queue until it is watched; it is then held (on
        // its own thread, by a progress listener) after its first MiB, with a partial file on disk, while Cancel is
        // pressed: no race with the end of the export, whatever the speed of this machine.
        CountDownLatch release = new CountDownLatch(1);
        List<Job<Boolean>> holders = List.of(hold(release), hold(release));
        CountDownLatch midFile = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        Job<?> export;
        try {
            Ui.waitUntil("the job workers are busy", () -> holders.stream()
                    .allMatch(j -> j.state() == JobState.RUNNING));
            click("Export");
            Ui.waitUntilOnUi(display, "cancel is offered", () -> Ui.controls(view, Button.class).stream()
                    .anyMatch(b -> b.getText().equals("Cancel") && b.isVisible()));
            export = jobs.active().stream().filter(j -> j.id().startsWith("export-") && j.name().contains(LONG))
                    .findFirst().orElseThrow(() -> new AssertionError("No export job is queued: " + jobs.active()));
            assertEquals(JobState.QUEUED, export.state());
            export.onProgress(j -> {
                if (j.progress().phase().equals("exporting") && j.progress().done() > 0 && held.compareAndSet(false,
                        true)) {
                    midFile.countDown();
                    try {
                        resume.await(Ui.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        } finally {
            release.countDown();
        }
        try {
            assertTrue(midFile.await(Ui.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the export got under way");
            try (var files = Files.list(folder)) {
                assertEquals(List.of(".clip.mp4.part"), files.map(p -> p.getFileName().toString()).toList(),
                        "the clip is being written under a temporary name");
            }
            click("Cancel");
        } finally {
            resume.countDown();
        }
        Ui.waitUntilOnUi(display, "the view says the export stopped", () -> Ui.hasLabel(view,
                t -> t.equals("Export cancelled; no file was written.")));
        assertTrue(export.await(Ui.TIMEOUT), "the job ended");
        assertEquals(JobState.CANCELLED, export.state());
        try (var files = Files.list(folder)) {
            assertEquals(List.of(), files.toList(), "nothing is left in the folder");
        }
        assertTrue(Ui.call(display, () -> Ui.button(view, "Export").isEnabled()), "a new export can be started");
        assertTrue(Ui.call(display, () -> Ui.controls(view, Button.class).stream()
                .noneMatch(b -> b.getText().equals("Cancel") && b.isVisible())), "cancel is hidden once stopped");
    }

    /** A job that keeps a worker of the job runner busy until {@code release}. */
    private Job<Boolean> hold(CountDownLatch release) {
        return jobs.submit("test", "holding a job worker", ctx -> release.await(60, TimeUnit.SECONDS));
    }

    @Test
    void twoCamerasPlayInStepASeekMovesBothAndASnapshotSavesBoth() throws Exception {
        openWith(CAMERA, CAMERA2);
        // the two cameras recorded the same files from the same instant: in step, their tiles show the same picture
        try {
            Ui.waitUntil("both tiles show the same first picture", () -> tilesAlike(video()));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " " + tiles, e);
        }
        long before = videoChecksum();
        seekByClick(6, 32);
        Ui.waitUntil("both tiles move to the picture of 10:00:06", () -> videoChecksum() != before
                && tilesAlike(video()));

        // a snapshot saves each camera's picture: the same frame, as they play in step
        Path folder = Recordings.work("snapshots2");
        Ui.run(display, () -> Ui.type(Ui.field(view, "Pictures to", Text.class), folder.toString()));
        click("Snapshot");
        Pattern saved = Pattern.compile("Saved the pictures of '" + Pattern.quote(CAMERA) + "', '"
                + Pattern.quote(CAMERA2) + "' at \\S+ in " + Pattern.quote(folder.toString()) + "\\.");
        Ui.waitUntil("the view says both pictures are saved", () -> says(saved) != null);
        try (var files = Files.list(folder)) {
            List<Path> pictures = files.sorted().toList();
            assertEquals(2, pictures.size(), pictures.toString());
            assertTrue(pictures.get(0).getFileName().toString().startsWith(CAMERA + "-"), pictures.toString());
            assertTrue(pictures.get(1).getFileName().toString().startsWith(CAMERA2 + "-"), pictures.toString());
            ImageData a = new ImageData(pictures.get(0).toString());
            ImageData b = new ImageData(pictures.get(1).toString());
            assertTrue(colours(a) > 20, "the first picture shows something");
            assertTrue(difference(a, b) < 1, "both cameras' pictures are of the same instant: " + difference(a, b));
        }
    }

    /**
     * True when the two tiles (top left, top right) both show a picture (a white ball and a time over black: some
     * points lit in each) and the same one, below their names.
     */
    private boolean tilesAlike(Canvas video) {
        ImageData d = Ui.call(display, () -> Ui.capture(video));
        int w = d.width / 2;
        int h = d.height / 2;
        long litA = 0;
        long litB = 0;
        long differ = 0;
        long n = 0;
        for (int y = 30; y < h; y += 3) {
            for (int x = 0; x < w; x += 3) {
                RGB a = Ui.rgb(d, x, y);
                RGB b = Ui.rgb(d, x + w, y);
                n++;
                litA += a.red + a.green + a.blue > 300 ? 1 : 0;
                litB += b.red + b.green + b.blue > 300 ? 1 : 0;
                if (Math.abs(a.red - b.red) + Math.abs(a.green - b.green) + Math.abs(a.blue - b.blue) > 30) {
                    differ++;
                }
            }
        }
        tiles = "lit " + litA + " and " + litB + ", differ " + differ + " of " + n + " points";
        return litA > n / 200 && litB > n / 200 && differ < n / 50;
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
