package org.vigil.ui.backup.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupRequest;
import org.vigil.api.backup.BackupService;
import org.vigil.api.command.Bytes;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobProgress;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.ui.Forms;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Backup view. Every change of the selection or the destination asks the backup service for a new plan
 * (the newest request wins); the plan's numbers or its refusals are shown, and Start is enabled only for a plan that
 * passed. A running backup's progress arrives through {@link ViewContext#updates}.
 */
final class BackupPanel implements View {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ViewContext context;
    private final BackupService backups;
    private final RecordingCatalog catalog;
    private final AtomicReference<Job<BackupReport>> last;
    private final Composite root;
    private final Table cameras;
    private final Text from;
    private final Text to;
    private final Text destination;
    private final Label plan;
    private final Button start;
    private final Button cancel;
    private final ProgressBar bar;
    private final Label progress;
    private final Label summary;
    private final ViewContext.Updates<Job<BackupReport>> updates;
    private Future<BackupPlan> planning;
    private BackupRequest planned;
    private BackupPlan current;
    private Job<BackupReport> shown;
    private Registration listening;

    /** What the view needs from the services before the form can be used. */
    private record Start(List<String> cameras, Optional<Path> destination) {
    }

    BackupPanel(Composite parent, ViewContext context, BackupService backups, RecordingCatalog catalog,
            AtomicReference<Job<BackupReport>> last) {
        this.context = context;
        this.backups = backups;
        this.catalog = catalog;
        this.last = last;
        root = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(3, false);
        layout.marginWidth = 16;
        layout.marginHeight = 12;
        layout.verticalSpacing = 8;
        root.setLayout(layout);

        Label heading = new Label(root, SWT.NONE);
        heading.setText("Backup");
        heading.setFont(context.theme().heading());
        heading.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        Label intro = wide(new Label(root, SWT.WRAP));
        intro.setForeground(context.theme().muted());
        intro.setText("Copy recordings to a folder (a USB drive, a network share) with a SHA256SUMS list that "
                + "sha256sum -c checks on any machine. Files already there are not copied again.");

        label("Cameras").setLayoutData(new GridData(SWT.LEFT, SWT.TOP, false, false));
        cameras = new Table(root, SWT.BORDER | SWT.CHECK | SWT.V_SCROLL);
        GridData cd = new GridData(SWT.FILL, SWT.FILL, true, false, 2, 1);
        cd.heightHint = 90;
        cameras.setLayoutData(cd);
        label("From");
        from = text("empty: from the first recording");
        label("To");
        to = text("empty: up to now");
        label("Destination");
        destination = new Text(root, SWT.BORDER);
        destination.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        destination.setMessage("a folder that exists");
        Button choose = new Button(root, SWT.PUSH);
        choose.setText("Choose…");

        plan = wide(new Label(root, SWT.WRAP));
        Composite buttons = new Composite(root, SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        GridLayout bl = new GridLayout(2, false);
        bl.marginWidth = 0;
        buttons.setLayout(bl);
        start = new Button(buttons, SWT.PUSH);
        start.setText("Start backup");
        cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel backup");
        bar = new ProgressBar(root, SWT.HORIZONTAL);
        bar.setMaximum(1000);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        progress = wide(new Label(root, SWT.WRAP));
        summary = wide(new Label(root, SWT.WRAP));

        plan.setText("Loading the cameras…");
        plan.setForeground(context.theme().muted());
        start.setEnabled(false);
        cancel.setEnabled(false);

        cameras.addListener(SWT.Selection, e -> {
            if (e.detail == SWT.CHECK) {
                replan();
            }
        });
        from.addListener(SWT.Modify, e -> replan());
        to.addListener(SWT.Modify, e -> replan());
        destination.addListener(SWT.Modify, e -> replan());
        choose.addListener(SWT.Selection, e -> choose());
        start.addListener(SWT.Selection, e -> start());
        cancel.addListener(SWT.Selection, e -> {
            if (shown != null) {
                shown.cancel();
                cancel.setEnabled(false);
                progress.setText("Cancelling: the file being copied is rolled back…");
            }
        });

        updates = context.updates(this::showProgress);
        context.onClose(this::stopListening);
        context.run("list cameras", () -> new Start(catalog.cameras(), backups.defaultDestination()), this::ready,
                e -> showPlanProblem("The cameras could not be listed: " + e.getMessage()));
        Job<BackupReport> running = last.get();
        if (running != null) {
            follow(running);
        }
    }

    private Label label(String text) {
        Label l = new Label(root, SWT.NONE);
        l.setText(text);
        return l;
    }

    private Text text(String hint) {
        Text t = new Text(root, SWT.BORDER);
        t.setMessage(hint);
        GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        t.setLayoutData(d);
        return t;
    }

    private static Label wide(Label l) {
        l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        return l;
    }

    private void ready(Start s) {
        for (String id : s.cameras()) {
            TableItem item = new TableItem(cameras, SWT.NONE);
            item.setText(id);
        }
        if (destination.getText().isEmpty()) {
            s.destination().ifPresent(d -> destination.setText(d.toString()));
        }
        root.layout(true, true);
        replan();
    }

    private void choose() {
        Forms.chooseFolder(destination, "Backup destination", "The folder the recordings are copied to");
    }

    /** The request the form describes; empty with a sentence shown when the form is incomplete or wrong. */
    private Optional<BackupRequest> request() {
        String dest = destination.getText().trim();
        if (dest.isEmpty()) {
            showPlanProblem("Choose the folder to back up to.");
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(dest).toAbsolutePath();
        } catch (InvalidPathException e) {
            showPlanProblem("'" + dest + "' is not a folder name; choose the folder with Choose….");
            return Optional.empty();
        }
        Optional<Instant> start;
        Optional<Instant> end;
        try {
            start = time(from.getText(), "start");
            end = time(to.getText(), "end");
        } catch (IllegalArgumentException e) {
            showPlanProblem(e.getMessage());
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (TableItem item : cameras.getItems()) {
            if (item.getChecked()) {
                ids.add(item.getText());
            }
        }
        try {
            return Optional.of(backups.request(path).withCameras(ids).withRange(start, end));
        } catch (IllegalArgumentException e) {
            showPlanProblem(e.getMessage());
            return Optional.empty();
        }
    }

    static Optional<Instant> time(String text, String which) {
        String t = text.trim();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = t.length() <= 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t, TIME);
            return Optional.of(local.atZone(ZoneId.systemDefault()).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("The " + which + " '" + t + "' is not a time; write it as "
                    + "2024-03-01 10:00 (or a day, 2024-03-01), or leave it empty.");
        }
    }

    private void replan() {
        if (planning != null) {
            planning.cancel(false);
        }
        current = null;
        updateStart();
        Optional<BackupRequest> request = request();
        if (request.isEmpty()) {
            return;
        }
        BackupRequest r = request.get();
        plan.setForeground(context.theme().muted());
        plan.setText("Checking the destination…");
        planned = null;
        planning = context.run("plan backup", () -> backups.plan(r), p -> showPlan(r, p),
                e -> showPlanProblem("The backup could not be checked: " + e.getMessage()));
    }

    private void showPlan(BackupRequest r, BackupPlan p) {
        Optional<BackupRequest> now = request();
        if (now.isEmpty() || !now.get().equals(r)) {
            return; // the form changed meanwhile; its own check is on its way
        }
        planned = r;
        current = p;
        String free = p.freeBytes() < 0 ? "unknown" : Bytes.text(p.freeBytes());
        String numbers = p.files() + " files (" + Bytes.text(p.bytes()) + ") selected; " + p.filesToCopy()
                + " to copy, " + Bytes.text(p.bytesToCopy()) + " needed, " + free + " free at the destination"
                + (p.filesPresent() > 0 ? "; " + p.filesPresent() + " already there." : ".");
        if (p.ok()) {
            plan.setForeground(context.theme().good());
            plan.setText(p.filesToCopy() == 0 ? numbers + " Everything selected is at the destination already."
                    : numbers);
        } else {
            plan.setForeground(context.theme().problem());
            plan.setText(String.join(" ", p.problems()) + "\n" + numbers);
        }
        updateStart();
        root.layout(true, true);
    }

    private void showPlanProblem(String sentence) {
        current = null;
        plan.setForeground(context.theme().problem());
        plan.setText(sentence);
        updateStart();
        root.layout(true, true);
    }

    private boolean running() {
        return shown != null && !shown.state().isFinished();
    }

    private void updateStart() {
        start.setEnabled(current != null && current.ok() && current.filesToCopy() > 0 && !running());
    }

    private void start() {
        if (current == null || !current.ok() || planned == null || running()) {
            return;
        }
        BackupRequest r = planned;
        start.setEnabled(false);
        summary.setText("");
        progress.setText("Starting…");
        context.run("start backup", () -> backups.backup(r), job -> {
            last.set(job);
            follow(job);
        }, e -> showSummary("The backup could not start: " + e.getMessage(), true));
    }

    private void follow(Job<BackupReport> job) {
        stopListening();
        shown = job;
        listening = job.onProgress(updates::post);
        showProgress(job);
        context.apply(job.result(), report -> finished(job, report), e -> failed(job, e));
        updateStart();
    }

    private void stopListening() {
        if (listening != null) {
            listening.close();
            listening = null;
        }
    }

    private void showProgress(Job<BackupReport> job) {
        if (job != shown || job.state().isFinished()) {
            return;
        }
        cancel.setEnabled(true);
        JobProgress p = job.progress();
        bar.setSelection(p.fraction().map(f -> (int) (f * 1000)).orElse(0));
        progress.setText(describe(p));
        root.layout(true, true);
    }

    static String describe(JobProgress p) {
        String phase = switch (p.phase()) {
        case "copying" -> "Copying";
        case "verifying" -> "Verifying the copies";
        case "checking" -> "Checking";
        default -> "Waiting";
        };
        if (p.total() < 0) {
            return phase + "…";
        }
        StringBuilder b = new StringBuilder(phase).append(": ").append(Bytes.text(p.done())).append(" of ")
                .append(Bytes.text(p.total()));
        if (p.itemsTotal() >= 0) {
            b.append(", ").append(p.itemsDone()).append(" of ").append(p.itemsTotal()).append(" files");
        }
        b.append(", ").append(Bytes.rate(p.throughputPerSecond()));
        p.remaining().ifPresent(d -> b.append(", about ").append(Sizes.duration(d)).append(" left"));
        return b.append('.').toString();
    }

    private void finished(Job<BackupReport> job, BackupReport r) {
        if (job != shown) {
            return;
        }
        stopListening();
        bar.setSelection(1000);
        progress.setText("");
        String verified = r.filesVerified() > 0
                ? "Verified: all " + r.filesVerified() + " new copies read back and match."
                : r.filesCopied() == 0 ? "Verified: nothing new to read back." : "Verification was off.";
        showSummary("Backup complete: " + r.filesCopied() + " files copied (" + Bytes.text(r.bytesCopied()) + "), "
                + r.filesSkipped() + " already there. " + verified + "\nManifest: " + r.manifest() + "\nChecksums: "
                + r.sums() + " (check them anywhere with " + (r.hash().id().equals("md5") ? "md5sum" : "sha256sum")
                + " -c).", false);
        context.showMessage("Backup to " + r.destination() + " complete.");
    }

    private void failed(Job<BackupReport> job, Throwable cause) {
        if (job != shown) {
            return;
        }
        stopListening();
        bar.setSelection(0);
        progress.setText("");
        if (job.state() == JobState.CANCELLED || cause instanceof CancellationException) {
            showSummary("Backup cancelled: the file being copied was rolled back. Start it again to continue where "
                    + "it stopped.", true);
        } else {
            showSummary("Backup failed: " + job.failure().orElse(String.valueOf(cause.getMessage())), true);
        }
    }

    private void showSummary(String text, boolean problem) {
        cancel.setEnabled(false);
        summary.setForeground(problem ? context.theme().problem() : context.theme().good());
        summary.setText(text);
        updateStart();
        replan(); // what is already there changed
        root.layout(true, true);
    }

    @Override
    public void setFocus() {
        destination.setFocus();
    }

    @Override
    public void dispose() {
        stopListening();
        if (planning != null) {
            planning.cancel(false);
        }
    }
}
