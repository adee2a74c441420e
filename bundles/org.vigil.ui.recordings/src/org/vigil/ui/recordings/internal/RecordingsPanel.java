package org.vigil.ui.recordings.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.CatalogSession;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StorageService;
import org.vigil.ui.Forms;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Recordings view. The list is loaded a page at a time through a {@link CatalogSession} (keyset cursor;
 * a new filter cancels the page on its way); deletion asks with the numbers of a dry run, then runs the storage's
 * deletion job with progress and cancel.
 */
final class RecordingsPanel implements View {
    static final int PAGE = 100;
    static final String ALL_CAMERAS = "All cameras";
    static final String ALL_DAYS = "All days";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ViewContext context;
    private final RecordingCatalog catalog;
    private final StorageService storage;
    private final CatalogSession session;
    private final ZoneId zone;
    private final Composite root;
    private final Combo camera;
    private final Combo day;
    private final Table table;
    private final Label count;
    private final Button more;
    private final Text fromText;
    private final Text toText;
    private final Composite confirm;
    private final Label confirmText;
    private final ProgressBar progress;
    private final Button cancel;
    private final Label result;
    private final ViewContext.Updates<JobProgress> jobProgress;
    private final List<Segment> rows = new ArrayList<>();
    private final List<Registration> registrations = new ArrayList<>();
    private List<LocalDate> days = List.of();
    private Optional<PageCursor> next = Optional.empty();
    private SegmentQuery query;
    private DeletionRequest pending;
    private Job<DeletionReport> job;

    RecordingsPanel(Composite parent, ViewContext context, RecordingCatalog catalog, StorageService storage) {
        this.context = context;
        this.catalog = catalog;
        this.storage = storage;
        this.session = catalog.session();
        this.zone = catalog.zone();
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(1, false));
        Label heading = new Label(root, SWT.NONE);
        heading.setText("Recordings");
        heading.setFont(context.theme().heading());

        Composite filter = Forms.row(root, 5);
        new Label(filter, SWT.NONE).setText("Camera");
        camera = new Combo(filter, SWT.READ_ONLY);
        camera.add(ALL_CAMERAS);
        camera.select(0);
        camera.addListener(SWT.Selection, e -> reload());
        new Label(filter, SWT.NONE).setText("Day");
        day = new Combo(filter, SWT.READ_ONLY);
        day.add(ALL_DAYS);
        day.select(0);
        day.addListener(SWT.Selection, e -> reload());
        Forms.button(filter, "Refresh", this::refresh);

        table = new Table(root, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL);
        table.setHeaderVisible(true);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        for (String c : new String[] { "Camera", "Start", "End", "Length", "Size", "Protected", "File" }) {
            TableColumn col = new TableColumn(table, SWT.LEFT);
            col.setText(c);
            col.setWidth(c.equals("File") ? 260 : 140);
        }
        table.addListener(SWT.Selection, e -> selectionToRange());

        Composite paging = Forms.row(root, 4);
        count = new Label(paging, SWT.NONE);
        count.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        more = Forms.button(paging, "Load more", this::loadMore);
        more.setEnabled(false);
        Forms.button(paging, "Protect", () -> protect(true));
        Forms.button(paging, "Unprotect", () -> protect(false));

        Composite delete = Forms.row(root, 5);
        fromText = Forms.field(delete, "From", 160, false);
        toText = Forms.field(delete, "To", 160, false);
        Forms.button(delete, "Delete range...", this::askDelete);

        confirm = Forms.row(root, 3);
        confirmText = new Label(confirm, SWT.WRAP);
        confirmText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Forms.button(confirm, "Delete", this::delete);
        Forms.button(confirm, "Keep", () -> showConfirm(false));
        showConfirm(false);

        Composite running = Forms.row(root, 2);
        progress = new ProgressBar(running, SWT.HORIZONTAL);
        progress.setVisible(false);
        cancel = Forms.button(running, "Cancel", () -> {
            if (job != null) {
                job.cancel();
            }
        });
        cancel.setVisible(false);
        result = new Label(root, SWT.WRAP);
        result.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        jobProgress = context.updates(this::showProgress);
        refresh();
    }

    // --- filters and pages ------------------------------------------------------------------------------------

    /** Reads the cameras and days again, then the first page. */
    private void refresh() {
        context.run("cameras and days", () -> new Filters(catalog.cameras(), catalog.days(Set.of())),
                this::showFilters, this::failed);
    }

    private record Filters(List<String> cameras, List<DayCoverage> days) {
    }

    private void showFilters(Filters f) {
        String cam = camera.getText();
        String d = day.getText();
        camera.removeAll();
        camera.add(ALL_CAMERAS);
        f.cameras().forEach(camera::add);
        if (!cam.isEmpty() && !cam.equals(ALL_CAMERAS) && camera.indexOf(cam) < 0) {
            camera.add(cam); // its recordings are all gone (deleted): it stays chosen and shows none, not all others
        }
        camera.select(Math.max(0, camera.indexOf(cam)));
        days = f.days().stream().map(DayCoverage::day).toList();
        day.removeAll();
        day.add(ALL_DAYS);
        days.forEach(x -> day.add(x.toString()));
        day.select(Math.max(0, day.indexOf(d)));
        reload();
    }

    private void reload() {
        Set<String> cams = camera.getSelectionIndex() <= 0 ? Set.of() : Set.of(camera.getText());
        Instant from = Instant.EPOCH;
        Instant to = Instant.parse("9999-12-31T00:00:00Z");
        if (day.getSelectionIndex() > 0) {
            LocalDate d = LocalDate.parse(day.getText());
            from = d.atStartOfDay(zone).toInstant();
            to = d.plusDays(1).atStartOfDay(zone).toInstant();
        }
        query = new SegmentQuery(cams, from, to, PAGE, Optional.empty(), false);
        rows.clear();
        table.removeAll();
        next = Optional.empty();
        more.setEnabled(false);
        count.setText("Loading...");
        load(query);
    }

    private void loadMore() {
        next.ifPresent(cursor -> {
            more.setEnabled(false);
            load(query.after(cursor));
        });
    }

    private void load(SegmentQuery q) {
        SegmentQuery current = query;
        context.apply(session.segments(q), page -> {
            if (current == query) {
                showPage(page);
            }
        }, this::failed);
    }

    private void showPage(Page<Segment> page) {
        for (Segment s : page.items()) {
            rows.add(s);
            TableItem item = new TableItem(table, SWT.NONE);
            item.setText(new String[] { s.cameraId(), when(s.start()), when(s.end()),
                    s.duration().toSeconds() + " s", Bytes.text(s.bytes()), s.isProtected() ? "Yes" : "",
                    s.relativePath() });
        }
        next = page.next();
        more.setEnabled(next.isPresent());
        count.setText(rows.isEmpty() ? "No recordings match." : "Showing " + rows.size() + " recordings"
                + (next.isPresent() ? "; more follow." : "."));
    }

    // --- protect ----------------------------------------------------------------------------------------------

    private void protect(boolean on) {
        List<Segment> chosen = selected();
        if (chosen.isEmpty()) {
            result.setText("Select the recordings to " + (on ? "protect" : "unprotect") + " first.");
            return;
        }
        context.run(on ? "protect" : "unprotect", () -> {
            int n = 0;
            for (Segment s : chosen) {
                n += storage.setProtected(SegmentSelection.of(s.cameraId(), s.start(), s.end()), on);
            }
            return n;
        }, n -> {
            result.setText((on ? "Protected " : "Unprotected ") + n + (n == 1 ? " recording." : " recordings."));
            reload();
        }, this::failed);
    }

    private List<Segment> selected() {
        List<Segment> chosen = new ArrayList<>();
        for (int i : table.getSelectionIndices()) {
            chosen.add(rows.get(i));
        }
        return chosen;
    }

    private void selectionToRange() {
        List<Segment> chosen = selected();
        if (!chosen.isEmpty()) {
            fromText.setText(when(chosen.stream().map(Segment::start).min(Instant::compareTo).get()));
            toText.setText(when(chosen.stream().map(Segment::end).max(Instant::compareTo).get()));
        }
    }

    // --- delete -----------------------------------------------------------------------------------------------

    private Optional<Instant> parse(Text t) {
        try {
            return Optional.of(LocalDateTime.parse(t.getText().trim(), WHEN).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void askDelete() {
        Optional<Instant> from = parse(fromText);
        Optional<Instant> to = parse(toText);
        if (from.isEmpty() || to.isEmpty()) {
            result.setText("Type the start and end of the range as YYYY-MM-DD HH:MM:SS, or select recordings.");
            return;
        }
        if (!from.get().isBefore(to.get())) {
            result.setText("The start of the range must come before its end.");
            return;
        }
        Set<String> cams = camera.getSelectionIndex() <= 0 ? Set.of() : Set.of(camera.getText());
        SegmentSelection selection = new SegmentSelection(cams, from.get(), to.get());
        result.setText("Counting what the range holds...");
        context.run("count a deletion", () -> storage.delete(new DeletionRequest(selection, true)),
                dry -> context.apply(dry.result(), r -> confirm(selection, r), this::failed), this::failed);
    }

    private void confirm(SegmentSelection selection, DeletionReport dry) {
        result.setText("");
        if (dry.segments() == 0) {
            result.setText("Nothing to delete in that range" + (dry.protectedKept() > 0 ? " (" + dry.protectedKept()
                    + " protected recordings are kept)." : "."));
            return;
        }
        pending = new DeletionRequest(selection, false);
        String who = selection.cameras().isEmpty() ? "every camera" : "'" + selection.cameras().iterator().next()
                + "'";
        confirmText.setText("Delete " + dry.segments() + (dry.segments() == 1 ? " file" : " files") + " ("
                + Bytes.text(dry.bytes()) + ") of " + who + " from " + when(selection.from()) + " to "
                + when(selection.to()) + "?" + (dry.protectedKept() > 0 ? " " + dry.protectedKept()
                        + (dry.protectedKept() == 1 ? " protected recording is" : " protected recordings are")
                        + " kept." : "") + " This cannot be undone.");
        showConfirm(true);
    }

    private void showConfirm(boolean on) {
        if (!on) {
            confirmText.setText("");
        }
        confirm.setVisible(on);
        ((GridData) confirm.getLayoutData()).exclude = !on;
        root.layout(true, true);
    }

    private void delete() {
        DeletionRequest request = pending;
        pending = null;
        showConfirm(false);
        if (request == null) {
            return;
        }
        result.setText("Deleting...");
        context.run("delete recordings", () -> storage.delete(request), this::deleting, this::failed);
    }

    private void deleting(Job<DeletionReport> started) {
        job = started;
        progress.setSelection(0);
        progress.setVisible(true);
        cancel.setVisible(true);
        registrations.add(started.onProgress(j -> jobProgress.post(j.progress())));
        context.apply(started.result(), r -> {
            ended();
            result.setText("Deleted " + r.segments() + (r.segments() == 1 ? " file" : " files") + " ("
                    + Bytes.text(r.bytes()) + ")" + (r.protectedKept() > 0 ? "; " + r.protectedKept()
                            + (r.protectedKept() == 1 ? " protected recording was" : " protected recordings were")
                            + " kept." : "."));
            refresh();
        }, e -> {
            ended();
            JobProgress p = started.progress();
            result.setText(e instanceof CancellationException || started.failure().isEmpty()
                    ? "Deletion stopped after " + p.done() + " of " + Math.max(0, p.total()) + " files."
                    : "Deletion failed: " + started.failure().get());
            refresh();
        });
    }

    private void showProgress(JobProgress p) {
        progress.setSelection((int) Math.round(p.fraction().orElse(0.0) * 100));
    }

    private void ended() {
        job = null;
        progress.setVisible(false);
        cancel.setVisible(false);
    }

    // --- common -----------------------------------------------------------------------------------------------

    private void failed(Throwable cause) {
        if (cause instanceof CancellationException) {
            return;
        }
        result.setText(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }

    private String when(Instant t) {
        return WHEN.format(t.atZone(zone));
    }

    @Override
    public void dispose() {
        registrations.forEach(Registration::close);
        registrations.clear();
        session.close();
    }
}
