package org.vigil.ui.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Listener;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.ServiceReference;
import org.vigil.api.job.Job;
import org.vigil.ui.Branding;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The workbench window: the product's name and icon over the navigation (one entry per contributed view), the open
 * view beside it and the status bar below. Lives on the display thread only; other threads reach it through
 * {@link Display#asyncExec} ({@link #refresh()}) or its {@link UiUpdater} ({@link #showMessage}, status readings).
 */
final class WorkbenchWindow {
    static final Duration STATUS_PERIOD = Duration.ofSeconds(1);
    private static final Logger LOG = System.getLogger(WorkbenchWindow.class.getName());
    private static final int NAVIGATION_WIDTH = 200;
    private static final int ROW_HEIGHT = 36;

    private final Workbench workbench;
    private final Display display;
    private final WorkbenchTheme theme;
    private final Shell shell;
    private final Composite navigation;
    private final Composite header;
    private final Label productIcon;
    private final Label productName;
    private final Table views;
    private final Composite content;
    private final StatusBar statusBar;
    private final UiUpdater updater;
    private final ViewContext.Updates<List<Workbench.StatusItem>> statusUpdates;
    private final ViewContext.Updates<String> messages;
    private final Map<ServiceReference<ViewContribution>, Image> navigationImages = new HashMap<>();
    private final List<Image> brandImages = new ArrayList<>();
    private List<Contribution> listed = List.of();
    private LoadedBranding branding;
    private Contribution selected;
    /** The view remembered from the last session, until it is shown or the user picks another. */
    private String wantedView;
    /** The window's place and size when not maximized. */
    private Rectangle normalBounds;
    private OpenView current;
    private Composite placeholder;
    private ScheduledFuture<?> statusTicks;
    private ClosingDialog closingDialog;
    private boolean closing;
    private volatile boolean closed;
    private boolean disposed;
    private Workbench.Exit exit;
    private final Listener endSession = e -> {
        e.doit = false;
        finish(Workbench.Exit.now());
    };

    WorkbenchWindow(Workbench workbench, Display display) {
        this.workbench = workbench;
        this.display = display;
        LoadedBranding initial = workbench.branding();
        this.theme = new WorkbenchTheme(display, colors(initial).accent());
        shell = new Shell(display, SWT.SHELL_TRIM);
        GridLayout layout = new GridLayout(2, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.horizontalSpacing = 0;
        layout.verticalSpacing = 0;
        shell.setLayout(layout);

        navigation = new Composite(shell, SWT.NONE);
        GridData nd = new GridData(SWT.FILL, SWT.FILL, false, true);
        nd.widthHint = NAVIGATION_WIDTH;
        navigation.setLayoutData(nd);
        GridLayout navLayout = new GridLayout(1, false);
        navLayout.marginWidth = 0;
        navLayout.marginHeight = 0;
        navLayout.verticalSpacing = 6;
        navigation.setLayout(navLayout);

        header = new Composite(navigation, SWT.NONE);
        header.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        GridLayout headerLayout = new GridLayout(2, false);
        headerLayout.marginWidth = 12;
        headerLayout.marginHeight = 12;
        header.setLayout(headerLayout);
        productIcon = new Label(header, SWT.NONE);
        productIcon.setLayoutData(new GridData(SWT.CENTER, SWT.CENTER, false, false));
        productName = new Label(header, SWT.NONE);
        productName.setFont(theme.heading());
        productName.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        views = new Table(navigation, SWT.SINGLE | SWT.FULL_SELECTION | SWT.V_SCROLL);
        views.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        TableColumn column = new TableColumn(views, SWT.NONE);
        views.addListener(SWT.Resize, e -> column.setWidth(Math.max(50, views.getClientArea().width)));
        views.addListener(SWT.MeasureItem, e -> e.height = Math.max(e.height, ROW_HEIGHT));
        views.addListener(SWT.Selection, e -> {
            TableItem[] sel = views.getSelection();
            if (sel.length == 1 && sel[0].getData() instanceof Contribution c) {
                wantedView = null;
                show(c);
            }
        });

        content = new Composite(shell, SWT.NONE);
        content.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        content.setLayout(new FillLayout());

        Label line = new Label(shell, SWT.SEPARATOR | SWT.HORIZONTAL);
        line.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
        statusBar = new StatusBar(shell, theme);
        statusBar.control().setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));

        updater = new UiUpdater(display, () -> !closed, "the workbench window");
        statusUpdates = updater.slot(statusBar::show);
        messages = updater.slot(statusBar::showMessage);
        shell.addListener(SWT.Close, e -> {
            e.doit = false; // the window closes once running jobs are dealt with
            requestClose();
        });
        // display.close(): SWT does this when the desktop session ends (log out, shut down); there is no time to
        // ask about jobs, the X server goes away next. Vigil stops; stopping cancels the jobs, bounded.
        display.addListener(SWT.Close, endSession);

        Rectangle area = display.getPrimaryMonitor().getClientArea();
        shell.setBounds(area.x, area.y, Math.min(1280, area.width), Math.min(800, area.height));
        WindowState saved = workbench.savedWindow();
        saved.bounds().ifPresent(b -> {
            List<WindowState.Bounds> screens = Stream.of(display.getMonitors()).map(m -> m.getClientArea())
                    .map(r -> new WindowState.Bounds(r.x, r.y, r.width, r.height)).toList();
            if (b.usableOn(screens)) {
                shell.setBounds(b.x(), b.y(), b.width(), b.height());
            } else {
                LOG.log(Level.WARNING, "The stored window geometry {0} is too small or off every screen; the window "
                        + "opens at its default size.", b.geometry());
            }
        });
        normalBounds = shell.getBounds();
        Listener track = e -> {
            if (!shell.getMaximized() && !shell.getMinimized()) {
                normalBounds = shell.getBounds();
            }
        };
        shell.addListener(SWT.Move, track);
        shell.addListener(SWT.Resize, track);
        wantedView = saved.lastView().isBlank() ? null : saved.lastView();
        refresh();
    }

    void open() {
        shell.open();
        if (workbench.savedWindow().maximized()) {
            shell.setMaximized(true);
        }
        statusTicks = workbench.scheduler().scheduleAtFixedRate("workbench status bar",
                () -> statusUpdates.post(workbench.readStatus()), Duration.ZERO, STATUS_PERIOD);
    }

    // --- services -> window ----------------------------------------------------------------------------------

    /** Catches up with the services: branding, the list of views; closes the open view if its service is gone. */
    void refresh() {
        if (disposed) {
            return;
        }
        LoadedBranding b = workbench.branding();
        if (b != branding) {
            applyBranding(b);
        }
        List<Contribution> now = workbench.contributions();
        if (current != null && !now.contains(current.contribution())) {
            closeCurrent();
        }
        if (selected != null && !now.contains(selected)) {
            selected = null;
        }
        if (!now.equals(listed)) {
            rebuildNavigation(now);
        }
        if (wantedView != null && !closed) {
            Optional<Contribution> wanted = now.stream().filter(c -> c.id().equals(wantedView)).findFirst();
            if (wanted.isPresent()) {
                wantedView = null;
                show(wanted.get());
            }
        }
        if (selected == null && !closed) {
            if (now.isEmpty()) {
                showPlaceholder("No views are installed. Drop a view plugin into the plugins folder to add one.");
            } else {
                show(now.get(0));
            }
        }
    }

    private void rebuildNavigation(List<Contribution> now) {
        views.removeAll();
        Set<ServiceReference<ViewContribution>> refs = now.stream().map(Contribution::ref).collect(Collectors.toSet());
        navigationImages.entrySet().removeIf(e -> {
            if (refs.contains(e.getKey())) {
                return false;
            }
            e.getValue().dispose();
            return true;
        });
        for (Contribution c : now) {
            TableItem item = new TableItem(views, SWT.NONE);
            item.setText(c.label());
            item.setData(c);
            Image image = navigationImages.get(c.ref());
            if (image == null && c.icon().isPresent()) {
                image = new Image(display, c.icon().get());
                navigationImages.put(c.ref(), image);
            }
            if (image != null) {
                item.setImage(image);
            }
            if (c.equals(selected)) {
                views.setSelection(item);
            }
        }
        listed = now;
    }

    private void applyBranding(LoadedBranding b) {
        branding = b;
        Branding.Colors colors = colors(b);
        shell.setText(b.productName());
        List<Image> old = new ArrayList<>(brandImages);
        brandImages.clear();
        List<Image> icons = new ArrayList<>();
        for (ImageData d : b.icons()) {
            icons.add(new Image(display, d));
        }
        brandImages.addAll(icons);
        shell.setImages(icons.toArray(Image[]::new));
        Optional<ImageData> small = Icons.pick(b.icons(), 32)
                .map(d -> d.width == 32 && d.height == 32 ? d : d.scaledTo(32, 32));
        Image logo = small.map(d -> new Image(display, d)).orElse(null);
        if (logo != null) {
            brandImages.add(logo);
        }
        productIcon.setImage(logo);
        productName.setText(b.productName());
        Color background = WorkbenchTheme.color(colors.navigation());
        Color text = WorkbenchTheme.color(colors.navigationText());
        for (var c : List.of(navigation, header, productIcon, productName, views)) {
            c.setBackground(background);
            c.setForeground(text);
        }
        theme.setAccent(colors.accent());
        old.forEach(Image::dispose);
        navigation.layout(true, true);
    }

    private static Branding.Colors colors(LoadedBranding b) {
        try {
            Branding.Colors c = b.branding().colors();
            if (c != null && c.navigation() != null && c.navigationText() != null && c.accent() != null) {
                return c;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The branding''s colours cannot be read: {0}", e.toString());
        }
        return LoadedBranding.FALLBACK.branding().colors();
    }

    // --- views -----------------------------------------------------------------------------------------------

    /** Opens {@code c}'s view in place of the one on screen. */
    void show(Contribution c) {
        if (disposed || closed) {
            return;
        }
        if (current != null && current.contribution().equals(c)) {
            return;
        }
        closeCurrent();
        disposePlaceholder();
        selected = c;
        int index = listed.indexOf(c);
        if (index >= 0 && views.getSelectionIndex() != index) {
            views.setSelection(index);
        }
        OpenView v = new OpenView(c, this, content, workbench.scheduler());
        if (v.create()) {
            current = v;
            content.layout(true, true);
            v.setFocus();
        } else {
            showPlaceholder("The view '" + c.label() + "' could not be opened; the log says why.");
        }
    }

    private void closeCurrent() {
        OpenView v = current;
        current = null;
        if (v != null) {
            v.close();
        }
    }

    private void showPlaceholder(String text) {
        disposePlaceholder();
        placeholder = new Composite(content, SWT.NONE);
        placeholder.setLayout(new GridLayout(1, false));
        Label l = new Label(placeholder, SWT.WRAP | SWT.CENTER);
        l.setText(text);
        l.setForeground(theme.muted());
        l.setLayoutData(new GridData(SWT.CENTER, SWT.CENTER, true, true));
        content.layout(true, true);
    }

    private void disposePlaceholder() {
        if (placeholder != null) {
            placeholder.dispose();
            placeholder = null;
        }
    }

    // --- closing ---------------------------------------------------------------------------------------------

    /** The user closes the window: ask about running jobs (looked up off the display thread), then close. */
    void requestClose() {
        if (closed) {
            return;
        }
        if (closing) {
            if (closingDialog != null && !closingDialog.shell().isDisposed()) {
                closingDialog.shell().forceActive();
            }
            return;
        }
        closing = true;
        try {
            workbench.scheduler().execute("workbench: jobs before closing", () -> {
                List<Job<?>> active;
                try {
                    active = workbench.jobs().active();
                } catch (RuntimeException e) {
                    active = List.of();
                }
                List<Job<?>> found = active;
                onDisplay(() -> decide(found));
            });
        } catch (RuntimeException e) {
            finish(Workbench.Exit.now());
        }
    }

    private void decide(List<Job<?>> active) {
        if (active.isEmpty()) {
            finish(Workbench.Exit.now());
            return;
        }
        closingDialog = new ClosingDialog(shell, theme, branding.productName(), active, choice -> {
            switch (choice) {
                case STAY -> {
                    closing = false;
                    closingDialog = null;
                }
                case FINISH_IN_BACKGROUND -> finish(new Workbench.Exit(active));
                case STOP_JOBS -> stopJobsThenFinish(active);
            }
        });
        closingDialog.open();
    }

    private void stopJobsThenFinish(List<Job<?>> active) {
        Duration timeout = workbench.stopJobsTimeout();
        boolean one = active.size() == 1;
        closingDialog.showStopping("Stopping " + Workbench.describe(active) + "; the window closes when "
                + (one ? "it has" : "they have") + " stopped (at most " + timeout.toSeconds() + " s).");
        AtomicInteger left = new AtomicInteger(active.size());
        AtomicBoolean done = new AtomicBoolean();
        Runnable close = () -> {
            if (done.compareAndSet(false, true)) {
                onDisplay(() -> finish(Workbench.Exit.now()));
            }
        };
        for (Job<?> job : active) {
            job.cancel();
            job.result().whenComplete((v, e) -> {
                if (left.decrementAndGet() == 0) {
                    close.run();
                }
            });
        }
        try {
            workbench.scheduler().schedule("workbench: waiting for cancelled jobs", () -> {
                if (left.get() > 0 && !done.get()) {
                    LOG.log(Level.WARNING, "{0} did not stop within {1} s of being cancelled; closing anyway (Vigil "
                            + "stops them while stopping).", Workbench.describe(active), timeout.toSeconds());
                }
                close.run();
            }, timeout);
        } catch (RuntimeException e) {
            close.run();
        }
    }

    private void finish(Workbench.Exit how) {
        if (closed) {
            return;
        }
        exit = how;
        closed = true;
        if (closingDialog != null) {
            closingDialog.dispose();
            closingDialog = null;
        }
        if (!shell.isDisposed()) {
            shell.setVisible(false);
        }
    }

    private void onDisplay(Runnable r) {
        try {
            display.asyncExec(() -> {
                if (!disposed) {
                    r.run();
                }
            });
        } catch (SWTException e) {
            // the display is gone: the window with it
        }
    }

    boolean isClosed() {
        return closed || shell.isDisposed();
    }

    /** How the user closed the window; empty while open or when it was closed by deactivation. */
    Optional<Workbench.Exit> exit() {
        return Optional.ofNullable(exit);
    }

    /** Disposes the open view, the window and every resource it made; idempotent. Display thread. */
    void dispose() {
        if (disposed) {
            return;
        }
        closed = true;
        if (statusTicks != null) {
            statusTicks.cancel(false);
        }
        if (!display.isDisposed()) {
            display.removeListener(SWT.Close, endSession);
        }
        closeCurrent();
        disposed = true;
        if (closingDialog != null) {
            closingDialog.dispose();
        }
        if (!shell.isDisposed()) {
            shell.dispose();
        }
        navigationImages.values().forEach(Image::dispose);
        navigationImages.clear();
        brandImages.forEach(Image::dispose);
        brandImages.clear();
        theme.dispose();
    }

    // --- what views and tests see ----------------------------------------------------------------------------

    WorkbenchTheme theme() {
        return theme;
    }

    LoadedBranding branding() {
        return branding;
    }

    /** Shows a message in the status bar; any thread. */
    void showMessage(String message) {
        messages.post(message);
    }

    /** Where the window is, whether maximized, and the view on screen: what the next start restores. */
    WindowState state() {
        Rectangle b = normalBounds != null ? normalBounds : shell.getBounds();
        String view = current != null ? current.contribution().id()
                : selected != null ? selected.id() : "";
        return new WindowState(Optional.of(new WindowState.Bounds(b.x, b.y, b.width, b.height)),
                shell.getMaximized(), view);
    }

    Shell shell() {
        return shell;
    }

    Table navigation() {
        return views;
    }

    Composite content() {
        return content;
    }

    Optional<OpenView> openView() {
        return Optional.ofNullable(current);
    }

    Optional<ClosingDialog> closingDialog() {
        return Optional.ofNullable(closingDialog);
    }

    Map<String, String> statusTexts() {
        return statusBar.texts();
    }
}
