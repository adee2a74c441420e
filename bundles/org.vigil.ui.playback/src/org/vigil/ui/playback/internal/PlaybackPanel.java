package org.vigil.ui.playback.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DateTime;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackOptions;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.playback.PlaybackSession;
import org.vigil.api.playback.PlaybackState;
import org.vigil.api.playback.PlaybackStatus;
import org.vigil.api.playback.Snapshot;
import org.vigil.api.playback.TimeRange;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.ui.Forms;
import org.vigil.ui.FramePicture;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Playback view. Services are only called through {@link ViewContext#run}; frames and status reports of the
 * session arrive through {@link ViewContext#updates}, so the newest wins. The session is closed when cameras or the
 * day change and when the view closes, also when it was opened after the view had closed.
 */
final class PlaybackPanel implements View {
    private static final Logger LOG = System.getLogger(PlaybackPanel.class.getName());
    private static final double[] SPEEDS = { 0.25, 0.5, 1, 2, 4, 8, 16 };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final ViewContext context;
    private final PlaybackService playback;
    private final RecordingCatalog catalog;
    private final ZoneId zone;
    private final Composite root;
    private final Table cameraTable;
    private final DateTime calendar;
    private final org.eclipse.swt.widgets.List dayList;
    private final Canvas video;
    private final Label state;
    private final Label coverage;
    private final Timeline timeline;
    private final Button playPause;
    private final Combo speed;
    private final Text fromText;
    private final Text toText;
    private final Text fileText;
    private final Text pictureFolder;
    private final Combo pictureFormat;
    private final Button export;
    private final ProgressBar progress;
    private final Button cancel;
    private final Label result;
    private final Map<String, FramePicture> pictures = new LinkedHashMap<>();
    private final Map<String, VideoFrame> newest = new ConcurrentHashMap<>();
    private final List<PlaybackSession> sessions = new CopyOnWriteArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final ViewContext.Updates<Boolean> frames;
    private final ViewContext.Updates<PlaybackStatus> statuses;
    private final ViewContext.Updates<JobProgress> exportProgress;
    private List<String> cameras = List.of();
    private List<LocalDate> days = List.of();
    private LocalDate day;
    private PlaybackSession session;
    private PlaybackStatus status;
    private Job<ExportReport> exportJob;
    private Registration exportWatch;
    /** Counts the sessions asked for: a session that opens after a newer one was asked for (or none) is closed. */
    private long openRequest;
    private boolean settingCalendar;
    private volatile boolean disposed;
    private final Scheduler scheduler;

    PlaybackPanel(Composite parent, ViewContext context, PlaybackService playback, RecordingCatalog catalog,
            Scheduler scheduler) {
        this.context = context;
        this.scheduler = scheduler;
        this.playback = playback;
        this.catalog = catalog;
        this.zone = catalog.zone();
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(2, false));

        Composite side = new Composite(root, SWT.NONE);
        side.setLayout(new GridLayout(1, false));
        side.setLayoutData(new GridData(SWT.FILL, SWT.FILL, false, true));
        Label heading = new Label(side, SWT.NONE);
        heading.setText("Playback");
        heading.setFont(context.theme().heading());
        new Label(side, SWT.NONE).setText("Cameras (up to " + PlaybackService.MAX_CAMERAS + ")");
        cameraTable = new Table(side, SWT.CHECK | SWT.BORDER | SWT.V_SCROLL);
        GridData td = new GridData(SWT.FILL, SWT.FILL, true, false);
        td.heightHint = 90;
        td.widthHint = 200;
        cameraTable.setLayoutData(td);
        cameraTable.addListener(SWT.Selection, e -> {
            if (e.detail == SWT.CHECK) {
                camerasChecked((TableItem) e.item);
            }
        });
        new Label(side, SWT.NONE).setText("Day");
        calendar = new DateTime(side, SWT.CALENDAR | SWT.BORDER);
        calendar.addListener(SWT.Selection, e -> {
            if (!settingCalendar) {
                chooseDay(LocalDate.of(calendar.getYear(), calendar.getMonth() + 1, calendar.getDay()));
            }
        });
        new Label(side, SWT.NONE).setText("Days with recordings");
        dayList = new org.eclipse.swt.widgets.List(side, SWT.SINGLE | SWT.BORDER | SWT.V_SCROLL);
        GridData dl = new GridData(SWT.FILL, SWT.FILL, true, true);
        dl.heightHint = 100;
        dayList.setLayoutData(dl);
        dayList.addListener(SWT.Selection, e -> {
            int i = dayList.getSelectionIndex();
            if (i >= 0 && i < days.size()) {
                chooseDay(days.get(i));
            }
        });

        Composite main = new Composite(root, SWT.NONE);
        main.setLayout(new GridLayout(1, false));
        main.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        video = new Canvas(main, SWT.NO_BACKGROUND | SWT.DOUBLE_BUFFERED);
        video.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        video.addPaintListener(e -> paintVideo(e.gc));
        video.addListener(SWT.Resize, e -> resizeSession());
        state = new Label(main, SWT.NONE);
        state.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        state.setText("Choose a camera.");
        coverage = new Label(main, SWT.NONE);
        coverage.setForeground(context.theme().muted());
        coverage.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        timeline = new Timeline(main, context.theme(), this::seek);
        GridData tl = new GridData(SWT.FILL, SWT.CENTER, true, false);
        tl.heightHint = 56;
        timeline.control().setLayoutData(tl);

        Composite controls = Forms.row(main, 10);
        Forms.button(controls, "Zoom in", () -> timeline.zoom(0.5));
        Forms.button(controls, "Zoom out", () -> timeline.zoom(2));
        Forms.button(controls, "Fit", timeline::fit);
        Forms.button(controls, "Whole day", () -> timeline.zoom(1e9));
        playPause = Forms.button(controls, "Play", this::playOrPause);
        new Label(controls, SWT.NONE).setText("Speed");
        speed = new Combo(controls, SWT.READ_ONLY);
        for (double s : SPEEDS) {
            speed.add(speedText(s));
        }
        speed.select(2);
        speed.addListener(SWT.Selection, e -> changeSpeed());
        Forms.button(controls, "Step", this::step);
        Forms.button(controls, "Snapshot", this::snapshot);

        Composite pictureRow = Forms.row(main, 5);
        pictureFolder = Forms.field(pictureRow, "Pictures to", 220, true);
        Forms.button(pictureRow, "Folder...", this::choosePictureFolder);
        new Label(pictureRow, SWT.NONE).setText("Format");
        pictureFormat = new Combo(pictureRow, SWT.READ_ONLY);
        for (ImageFormat f : ImageFormat.values()) {
            pictureFormat.add(f.name());
        }
        pictureFormat.select(0);

        Composite exportRow = Forms.row(main, 10);
        Forms.button(exportRow, "Mark start", this::markStart);
        fromText = Forms.field(exportRow, "From", 80, false);
        Forms.button(exportRow, "Mark end", this::markEnd);
        toText = Forms.field(exportRow, "To", 80, false);
        fileText = Forms.field(exportRow, "Export to", 220, true);
        Forms.button(exportRow, "Choose...", this::chooseExportFile);
        export = Forms.button(exportRow, "Export", this::export);
        // on a row of their own: hidden, they would still take cells from the file name's field
        Composite running = Forms.row(main, 2);
        progress = new ProgressBar(running, SWT.HORIZONTAL);
        progress.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        progress.setVisible(false);
        cancel = Forms.button(running, "Cancel", () -> {
            if (exportJob != null) {
                exportJob.cancel();
            }
        });
        cancel.setVisible(false);
        result = new Label(main, SWT.WRAP);
        result.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        fromText.addListener(SWT.Modify, e -> showRange());
        toText.addListener(SWT.Modify, e -> showRange());

        frames = context.updates(ignored -> showFrames());
        statuses = context.updates(this::showStatus);
        exportProgress = context.updates(this::showExportProgress);
        context.run("list cameras", catalog::cameras, this::showCameras, this::failed);
    }

    private static String speedText(double s) {
        return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + "x";
    }

    // --- cameras and days --------------------------------------------------------------------------------------

    private void showCameras(List<String> ids) {
        cameraTable.removeAll();
        for (String id : ids) {
            new TableItem(cameraTable, SWT.NONE).setText(id);
        }
        state.setText(ids.isEmpty() ? "Nothing has been recorded yet." : "Choose up to "
                + PlaybackService.MAX_CAMERAS + " cameras to play together.");
    }

    private void camerasChecked(TableItem changed) {
        List<String> checked = new ArrayList<>();
        for (TableItem i : cameraTable.getItems()) {
            if (i.getChecked()) {
                checked.add(i.getText());
            }
        }
        if (checked.size() > PlaybackService.MAX_CAMERAS) {
            changed.setChecked(false);
            context.showMessage("At most " + PlaybackService.MAX_CAMERAS
                    + " cameras play together; uncheck one before adding another.");
            return;
        }
        cameras = List.copyOf(checked);
        closeSession();
        if (cameras.isEmpty()) {
            state.setText("Choose a camera.");
            return;
        }
        Set<String> set = Set.copyOf(cameras);
        context.run("days with recordings", () -> catalog.days(set), this::showDays, this::failed);
    }

    private void showDays(List<DayCoverage> coverage) {
        days = coverage.stream().map(DayCoverage::day).toList();
        dayList.removeAll();
        for (DayCoverage d : coverage) {
            dayList.add(d.day() + "  (" + hms(d.recorded()) + ")");
        }
        if (days.isEmpty()) {
            state.setText("The cameras chosen have no recordings.");
            return;
        }
        chooseDay(day != null && days.contains(day) ? day : days.get(days.size() - 1));
    }

    private void chooseDay(LocalDate chosen) {
        day = chosen;
        // GTK's calendar reports a date set by the program as a selection; that is not the user choosing again
        settingCalendar = true;
        try {
            calendar.setDate(chosen.getYear(), chosen.getMonthValue() - 1, chosen.getDayOfMonth());
        } finally {
            settingCalendar = false;
        }
        dayList.setSelection(days.indexOf(chosen));
        if (cameras.isEmpty()) {
            return;
        }
        TimeRange range = new TimeRange(chosen.atStartOfDay(zone).toInstant(),
                chosen.plusDays(1).atStartOfDay(zone).toInstant());
        List<String> cams = cameras;
        closeSession();
        coverage.setText("Reading the recordings of " + chosen + "...");
        context.run("recordings of " + chosen, () -> recorded(cams, range),
                spans -> showDay(chosen, range, spans), this::failed);
    }

    /** The recorded spans of the cameras over the range, merged (gaps of a second or less closed), page by page. */
    private List<TimeRange> recorded(List<String> cams, TimeRange range) {
        List<TimeRange> spans = new ArrayList<>();
        SegmentQuery q = new SegmentQuery(Set.copyOf(cams), range.start(), range.end(), SegmentQuery.MAX_LIMIT,
                Optional.empty(), false);
        while (true) {
            Page<Segment> page = catalog.segments(q);
            for (Segment s : page.items()) {
                TimeRange last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
                if (last != null && !s.start().isAfter(last.end().plusSeconds(1))) {
                    if (s.end().isAfter(last.end())) {
                        spans.set(spans.size() - 1, new TimeRange(last.start(), s.end()));
                    }
                } else {
                    spans.add(new TimeRange(s.start(), s.end()));
                }
            }
            if (page.next().isEmpty()) {
                return spans;
            }
            q = q.after(page.next().get());
        }
    }

    private void showDay(LocalDate chosen, TimeRange range, List<TimeRange> spans) {
        if (!chosen.equals(day)) {
            return;
        }
        timeline.showDay(range, zone, spans);
        if (spans.isEmpty()) {
            coverage.setText("Nothing was recorded on " + chosen + ".");
            state.setText("Choose a day with recordings.");
            return;
        }
        Duration total = spans.stream().map(TimeRange::duration).reduce(Duration.ZERO, Duration::plus);
        coverage.setText("Recorded on " + chosen + ": " + hms(total) + " from " + clock(spans.get(0).start(), HMS)
                + " to " + clock(spans.get(spans.size() - 1).end(), HMS) + ", " + (spans.size() - 1)
                + (spans.size() == 2 ? " gap." : " gaps."));
        openSession(spans.get(0).start());
    }

    // --- the session ---------------------------------------------------------------------------------------------

    private void openSession(Instant at) {
        closeSession();
        List<String> cams = cameras;
        Rectangle cell = cell(0, cams.size());
        PlaybackOptions options = PlaybackOptions.defaults().withSize(Math.max(2, cell.width),
                Math.max(2, cell.height)).paused();
        state.setText("Opening " + String.join(", ", cams) + " at " + clock(at, HMS) + "...");
        long request = ++openRequest;
        context.run("open playback", () -> {
            PlaybackSession s = playback.open(cams, at, options);
            sessions.add(s);
            if (disposed) {
                close(s);
                throw new CancellationException("the view closed");
            }
            return s;
        }, s -> sessionOpened(s, request), this::failed);
    }

    private void sessionOpened(PlaybackSession s, long request) {
        if (request != openRequest || !s.cameras().equals(cameras)) {
            closeLater(s);
            return;
        }
        session = s;
        registrations.add(s.frames(f -> {
            newest.put(f.cameraId(), f);
            frames.post(Boolean.TRUE);
        }));
        registrations.add(s.onStatus(statuses::post));
        registrations.add(s.onEvent(e -> context.showMessage(e.message())));
        resizeSession();
    }

    private void closeSession() {
        openRequest++;
        registrations.forEach(Registration::close);
        registrations.clear();
        if (session != null) {
            closeLater(session);
            session = null;
        }
        status = null;
        newest.clear();
        pictures.values().forEach(FramePicture::dispose);
        pictures.clear();
        playPause.setText("Play");
        video.redraw();
    }

    /**
     * Closes a session off the display thread (closing waits for its pipelines to stop), on the shared scheduler
     * rather than as a call of the view, so that closing the view never cancels it.
     */
    private void closeLater(PlaybackSession s) {
        scheduler.execute("playback view: close a session", () -> close(s));
    }

    private void close(PlaybackSession s) {
        sessions.remove(s);
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Closing a playback session failed", e);
        }
    }

    private void seek(Instant t) {
        if (session == null) {
            if (!cameras.isEmpty()) {
                openSession(t);
            }
            return;
        }
        timeline.setPosition(t);
        context.apply(session.seek(t), at -> { }, this::failed);
    }

    private void playOrPause() {
        if (session == null) {
            return;
        }
        boolean playing = status != null && status.state() == PlaybackState.PLAYING;
        context.apply(playing ? session.pause() : session.play(), at -> { }, this::failed);
    }

    private void changeSpeed() {
        if (session != null) {
            context.apply(session.speed(SPEEDS[speed.getSelectionIndex()]), at -> { }, this::failed);
        }
    }

    private void step() {
        if (session != null) {
            context.apply(session.step(), at -> { }, this::failed);
        }
    }

    /** Saves the picture each camera shows now into the chosen folder, named by camera and time. */
    private void snapshot() {
        if (session == null) {
            context.showMessage("Open a recording before taking a snapshot.");
            return;
        }
        String folderText = pictureFolder.getText().trim();
        if (folderText.isEmpty()) {
            result.setText("Name the folder for the pictures (Folder...), then take the snapshot again.");
            return;
        }
        Path folder = Path.of(folderText);
        ImageFormat format = ImageFormat.values()[Math.max(0, pictureFormat.getSelectionIndex())];
        List<String> cams = cameras;
        Instant at = status != null ? status.position() : Instant.now();
        String stamp = FILE_TIME.format(at.atZone(zone));
        context.run("check the picture folder", () -> Files.isDirectory(folder), exists -> {
            if (!exists) {
                result.setText("The folder " + folder + " does not exist; choose an existing folder for the"
                        + " pictures.");
            } else if (session != null) {
                List<CompletableFuture<Snapshot>> shots = new ArrayList<>();
                for (String camera : cams) {
                    shots.add(session.snapshot(camera, folder.resolve(camera + "-" + stamp + "." + format.extension()),
                            format).toCompletableFuture());
                }
                context.apply(CompletableFuture.allOf(shots.toArray(CompletableFuture[]::new))
                        .thenApply(done -> shots.stream().map(CompletableFuture::join).toList()),
                        saved -> saved(saved, folder), this::failed);
            }
        }, this::failed);
    }

    private void saved(List<Snapshot> shots, Path folder) {
        Snapshot first = shots.get(0);
        if (shots.size() == 1) {
            result.setText("Saved the picture of '" + first.cameraId() + "' at " + clock(first.frameTime(), TIME)
                    + " to " + first.file() + ".");
        } else {
            result.setText("Saved the pictures of '" + String.join("', '", shots.stream().map(Snapshot::cameraId)
                    .toList()) + "' at " + clock(first.frameTime(), TIME) + " in " + folder + ".");
        }
    }

    private void choosePictureFolder() {
        Forms.chooseFolder(pictureFolder, "Pictures", "The folder snapshots are saved in");
    }

    private void resizeSession() {
        if (session != null) {
            Rectangle c = cell(0, session.cameras().size());
            if (c.width >= 2 && c.height >= 2) {
                session.resize(c.width, c.height);
            }
        }
    }

    /** Cell {@code index} of the video area: the whole area for one camera, a 2x2 grid for more. */
    private Rectangle cell(int index, int count) {
        Rectangle a = video.getClientArea();
        if (count <= 1) {
            return a;
        }
        int w = a.width / 2;
        int h = a.height / 2;
        return new Rectangle((index % 2) * w, (index / 2) * h, w, h);
    }

    private void showFrames() {
        for (String camera : List.copyOf(newest.keySet())) {
            VideoFrame f = newest.remove(camera);
            if (f != null && cameras.contains(camera)) {
                pictures.computeIfAbsent(camera, c -> new FramePicture(context.display())).show(f);
            }
        }
        video.redraw();
    }

    private void paintVideo(GC gc) {
        Rectangle a = video.getClientArea();
        gc.setBackground(context.display().getSystemColor(SWT.COLOR_BLACK));
        gc.fillRectangle(a);
        for (int i = 0; i < cameras.size(); i++) {
            Rectangle c = cell(i, cameras.size());
            FramePicture p = pictures.get(cameras.get(i));
            if (p != null) {
                p.paint(gc, c.x, c.y, c.width, c.height);
            }
            gc.setForeground(context.display().getSystemColor(SWT.COLOR_YELLOW));
            gc.drawText(cameras.get(i), c.x + 6, c.y + 4, true);
        }
    }

    private void showStatus(PlaybackStatus s) {
        if (session == null || !s.cameras().equals(session.cameras())) {
            return;
        }
        status = s;
        timeline.setPosition(s.position());
        playPause.setText(s.state() == PlaybackState.PLAYING ? "Pause" : "Play");
        state.setText(stateText(s.state()) + " at " + clock(s.position(), TIME) + ", " + speedText(s.speed())
                + s.message().map(m -> ". " + m).orElse(""));
    }

    private static String stateText(PlaybackState s) {
        return switch (s) {
            case STARTING -> "Starting";
            case PLAYING -> "Playing";
            case PAUSED -> "Paused";
            case NO_RECORDING -> "No recording";
            case ENDED -> "End of the recordings";
            case FAILED -> "Failed";
            case CLOSED -> "Closed";
        };
    }

    // --- export --------------------------------------------------------------------------------------------------

    private void markStart() {
        mark(fromText);
    }

    private void markEnd() {
        mark(toText);
    }

    private void mark(Text field) {
        if (status != null) {
            field.setText(clock(status.position(), HMS));
        }
    }

    private Optional<Instant> timeOf(Text field) {
        try {
            return Optional.of(day.atTime(LocalTime.parse(field.getText().trim())).atZone(zone).toInstant());
        } catch (DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private void showRange() {
        Optional<Instant> from = timeOf(fromText);
        Optional<Instant> to = timeOf(toText);
        timeline.setRange(from.isPresent() && to.isPresent() && from.get().isBefore(to.get())
                ? Optional.of(new TimeRange(from.get(), to.get())) : Optional.empty());
    }

    private void chooseExportFile() {
        FileDialog dialog = new FileDialog(root.getShell(), SWT.SAVE);
        dialog.setText("Export the clip to");
        dialog.setFilterExtensions(new String[] { "*.mp4", "*.mkv" });
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            fileText.setText(chosen);
        }
    }

    private void export() {
        if (cameras.isEmpty() || day == null) {
            result.setText("Choose a camera and a day before exporting.");
            return;
        }
        Optional<Instant> from = timeOf(fromText);
        Optional<Instant> to = timeOf(toText);
        if (from.isEmpty() || to.isEmpty()) {
            result.setText("Type the start and the end of the clip as HH:MM:SS (like 10:00:05), or use Mark start"
                    + " and Mark end.");
            return;
        }
        if (!from.get().isBefore(to.get())) {
            result.setText("The start of the clip must come before its end.");
            return;
        }
        if (fileText.getText().isBlank()) {
            result.setText("Name the file to export to (Choose...).");
            return;
        }
        ExportRequest request = new ExportRequest(cameras.get(0), from.get(), to.get(),
                Path.of(fileText.getText().trim()), false);
        export.setEnabled(false);
        result.setText("Exporting " + request.cameraId() + " from " + clock(request.from(), HMS) + " to "
                + clock(request.to(), HMS) + "...");
        context.run("export a clip", () -> playback.export(request), this::exportStarted, e -> {
            export.setEnabled(true);
            failed(e);
        });
    }

    private void exportStarted(Job<ExportReport> job) {
        exportJob = job;
        progress.setSelection(0);
        progress.setVisible(true);
        cancel.setVisible(true);
        // apart from the session's registrations, which go when the cameras or the day change
        exportWatch = job.onProgress(j -> exportProgress.post(j.progress()));
        context.apply(job.result(), this::exported, e -> {
            exportEnded();
            if (e instanceof CancellationException || job.failure().isEmpty()) {
                result.setText("Export cancelled; no file was written.");
            } else {
                result.setText("Export failed: " + job.failure().get());
            }
        });
    }

    private void showExportProgress(JobProgress p) {
        if (!progress.isDisposed()) {
            progress.setSelection((int) Math.round(p.fraction().orElse(0.0) * 100));
        }
    }

    private void exported(ExportReport r) {
        exportEnded();
        result.setText("Exported " + hms(r.duration()) + " of '" + r.cameraId() + "' (" + Bytes.text(r.bytes())
                + ") to " + r.file() + ".");
    }

    private void exportEnded() {
        exportJob = null;
        if (exportWatch != null) {
            exportWatch.close();
            exportWatch = null;
        }
        export.setEnabled(true);
        progress.setVisible(false);
        cancel.setVisible(false);
    }

    // --- common --------------------------------------------------------------------------------------------------

    private void failed(Throwable cause) {
        if (cause instanceof CancellationException) {
            return;
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        LOG.log(Level.DEBUG, "Playback view: {0}", message);
        result.setText(message);
    }

    private String clock(Instant t, DateTimeFormatter f) {
        return f.format(t.atZone(zone));
    }

    private static String hms(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + " s" : String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    @Override
    public void setFocus() {
        timeline.control().setFocus();
    }

    @Override
    public void dispose() {
        disposed = true;
        if (exportWatch != null) {
            exportWatch.close();
        }
        registrations.forEach(Registration::close);
        registrations.clear();
        sessions.forEach(this::closeLater); // switching views never waits for pipelines to stop
        session = null;
        pictures.values().forEach(FramePicture::dispose);
        pictures.clear();
    }
}
