package org.vigil.ui.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.swt.SWTError;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.job.Job;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.config.UiSettings;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;
import org.vigil.ui.Branding;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;
import org.vigil.ui.ViewContribution;

/**
 * The workbench: in {@code workbench} and {@code test} mode it owns one non-daemon thread, {@code vigil-ui}, that
 * creates the display and the window and runs the event loop; in every other mode it does nothing. It tracks the
 * contributed views, brandings and status sources and tells the window when they change. Closing the window stops
 * the framework (after the user's answer about running jobs); deactivating the component closes the window without
 * stopping anything.
 */
@Component(service = Workbench.class, immediate = true)
public final class Workbench {
    /** Framework property: whether closing the window stops the framework (default: yes, except in test mode). */
    static final String EXIT_ON_CLOSE_PROPERTY = "vigil.ui.exitOnClose";
    /** Framework property: how long "stop the jobs and close" waits for cancelled jobs, in seconds (default 10). */
    static final String STOP_JOBS_TIMEOUT_PROPERTY = "vigil.ui.stopJobsTimeoutSeconds";
    /** System property read by the launcher for its exit code once the framework has stopped. */
    public static final String EXIT_CODE_PROPERTY = "vigil.exitCode";
    static final String THREAD_NAME = "vigil-ui";
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration VIEW_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = System.getLogger(Workbench.class.getName());

    /** Creates the display; a test replaces it to simulate a machine without one. */
    @FunctionalInterface
    interface DisplayFactory {
        Display create();
    }

    /** How the window was closed: the jobs that keep running until they end, if the user chose so. */
    record Exit(List<Job<?>> waitFor) {
        static Exit now() {
            return new Exit(List.of());
        }
    }

    /** A stop of the framework the workbench asked for (recorded in test mode instead of stopping). */
    record StopRequest(String reason, int exitCode) {
    }

    private final BundleContext context;
    private final Scheduler scheduler;
    private final JobRunner jobs;
    private final boolean exitOnClose;
    private final Duration stopJobsTimeout;
    private final Map<ServiceReference<ViewContribution>, Contribution> views = new ConcurrentHashMap<>();
    private final Map<ServiceReference<Branding>, LoadedBranding> brandings = new ConcurrentHashMap<>();
    private final Map<ServiceReference<StatusSource>, StatusSource> statusSources = new ConcurrentHashMap<>();
    private final List<StopRequest> stopRequests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread uiThread;
    private final DisplayFactory displayFactory;
    private volatile Display display;
    private volatile WorkbenchWindow window;
    private volatile boolean quit;
    private volatile SettingsService settings;
    private volatile WindowState savedWindow = WindowState.NONE;

    @Activate
    public Workbench(BundleContext context, @Reference Scheduler scheduler, @Reference JobRunner jobs) {
        this(context, scheduler, jobs, Display::new);
    }

    Workbench(BundleContext context, Scheduler scheduler, JobRunner jobs, DisplayFactory displayFactory) {
        this.context = context;
        this.scheduler = scheduler;
        this.jobs = jobs;
        this.displayFactory = displayFactory;
        VigilMode mode = VigilMode.of(context.getProperty(VigilMode.PROPERTY));
        String exit = context.getProperty(EXIT_ON_CLOSE_PROPERTY);
        this.exitOnClose = exit == null || exit.isBlank() ? mode != VigilMode.TEST : Boolean.parseBoolean(exit.trim());
        this.stopJobsTimeout = Duration.ofSeconds(intProperty(context.getProperty(STOP_JOBS_TIMEOUT_PROPERTY), 10));
        if (mode == VigilMode.WORKBENCH || mode == VigilMode.TEST) {
            uiThread = new Thread(this::runDisplay, THREAD_NAME);
            uiThread.setDaemon(false);
        } else {
            uiThread = null;
            LOG.log(Level.DEBUG, "Not opening the workbench in {0} mode.", mode);
        }
    }

    /**
     * Opens the window on the display thread. It runs once the dynamic references (the views, the settings holding
     * the window's last place) are bound, which happens after the constructor.
     */
    @Activate
    void start() {
        if (uiThread != null && uiThread.getState() == Thread.State.NEW) {
            uiThread.start();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSettings(SettingsService service) {
        settings = service;
    }

    void unsetSettings(SettingsService service) {
        if (settings == service) {
            settings = null;
        }
    }

    /** The window state stored when the workbench last closed (read before the window opened). */
    WindowState savedWindow() {
        return savedWindow;
    }

    /** Reads the stored window state; called on the UI thread before any display exists, so nothing waits on it. */
    private WindowState loadWindowState() {
        SettingsService s = settings;
        if (s == null) {
            return WindowState.NONE;
        }
        try {
            Map<String, Object> ui = s.section(UiSettings.PID);
            WindowState state = WindowState.of(ui);
            Object geometry = ui.get("windowGeometry");
            if (state.bounds().isEmpty() && geometry != null && !String.valueOf(geometry).isBlank()) {
                LOG.log(Level.WARNING, "The stored window geometry ''{0}'' is not WIDTHxHEIGHT+X+Y; the window opens "
                        + "at its default size.", geometry);
            }
            return state;
        } catch (SettingsException | RuntimeException e) {
            LOG.log(Level.WARNING, "The window''s stored size and view could not be read ({0}); using the defaults.",
                    e.getMessage());
            return WindowState.NONE;
        }
    }

    /** Stores the window state; called on the UI thread after the display is gone. */
    private void saveWindowState(WindowState state) {
        SettingsService s = settings;
        if (s == null || state == null) {
            return;
        }
        Map<String, Object> changes = new java.util.HashMap<>();
        changes.put("windowGeometry", state.bounds().map(WindowState.Bounds::geometry).orElse(""));
        changes.put("windowMaximized", state.maximized());
        changes.put("lastView", state.lastView());
        try {
            s.updateSection(UiSettings.PID, changes);
        } catch (SettingsException | RuntimeException e) {
            LOG.log(Level.WARNING, "The window''s size and view could not be stored: {0}", e.getMessage());
        }
    }

    // --- whiteboard ------------------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addView(ServiceReference<ViewContribution> ref, ViewContribution view) {
        Contribution c;
        try {
            c = Contribution.read(ref, view);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The view service " + ref + " cannot be shown: " + e.getMessage(), e);
            return;
        }
        views.put(ref, c);
        refreshWindow();
    }

    void removeView(ServiceReference<ViewContribution> ref, ViewContribution view) {
        Contribution gone = views.remove(ref);
        if (gone != null) {
            // The view's bundle is going away: its widgets are disposed before its classes are.
            refreshWindowAndWait(gone);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBranding(ServiceReference<Branding> ref, Branding branding) {
        brandings.put(ref, LoadedBranding.load(branding));
        refreshWindow();
    }

    void removeBranding(ServiceReference<Branding> ref, Branding branding) {
        if (brandings.remove(ref) != null) {
            refreshWindow();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStatusSource(ServiceReference<StatusSource> ref, StatusSource source) {
        statusSources.put(ref, source);
    }

    void removeStatusSource(ServiceReference<StatusSource> ref, StatusSource source) {
        statusSources.remove(ref);
    }

    /** The views to list, in navigation order. */
    List<Contribution> contributions() {
        List<Contribution> list = new ArrayList<>(views.values());
        list.sort(Contribution.ORDER);
        return list;
    }

    /** The branding with the highest ranking, or the built-in fallback. */
    LoadedBranding branding() {
        return brandings.entrySet().stream().max(Map.Entry.comparingByKey()).map(Map.Entry::getValue)
                .orElse(LoadedBranding.FALLBACK);
    }

    /** One reading per status id (the highest-ranked source of each), sorted by order; called on the scheduler. */
    List<StatusItem> readStatus() {
        Map<String, Map.Entry<ServiceReference<StatusSource>, StatusSource>> best = new ConcurrentHashMap<>();
        for (Map.Entry<ServiceReference<StatusSource>, StatusSource> e : statusSources.entrySet()) {
            String id;
            try {
                id = e.getValue().id();
            } catch (RuntimeException ex) {
                continue;
            }
            best.merge(id, e, (a, b) -> a.getKey().compareTo(b.getKey()) >= 0 ? a : b);
        }
        List<StatusItem> items = new ArrayList<>();
        for (Map.Entry<String, Map.Entry<ServiceReference<StatusSource>, StatusSource>> e : best.entrySet()) {
            StatusSource s = e.getValue().getValue();
            try {
                StatusReading r = s.read();
                if (r != null && !r.text().isBlank()) {
                    items.add(new StatusItem(e.getKey(), s.order(), r));
                }
            } catch (RuntimeException ex) {
                items.add(new StatusItem(e.getKey(), safeOrder(s), new StatusReading(e.getKey() + ": not available",
                        String.valueOf(ex.getMessage()), StatusReading.Level.WARNING)));
            }
        }
        items.sort(Comparator.comparingInt(StatusItem::order).thenComparing(StatusItem::id));
        return items;
    }

    private static int safeOrder(StatusSource s) {
        try {
            return s.order();
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    JobRunner jobs() {
        return jobs;
    }

    BundleContext bundleContext() {
        return context;
    }

    Duration stopJobsTimeout() {
        return stopJobsTimeout;
    }

    /** The window while it is open (tests). */
    Optional<WorkbenchWindow> window() {
        return Optional.ofNullable(window);
    }

    /** The display while it exists (tests). */
    Optional<Display> display() {
        Display d = display;
        return d == null || d.isDisposed() ? Optional.empty() : Optional.of(d);
    }

    /** The stops the workbench asked for (tests: in test mode it records them instead of stopping). */
    List<StopRequest> stopRequests() {
        return List.copyOf(stopRequests);
    }

    // --- the display thread ----------------------------------------------------------------------------------

    private void runDisplay() {
        long t0 = System.nanoTime();
        savedWindow = loadWindowState();
        Display d;
        try {
            d = displayFactory.create();
        } catch (SWTError | SWTException | LinkageError e) {
            // One sentence, no stack trace: the usual cause is a machine without a graphical session.
            LOG.log(Level.ERROR, "The workbench cannot open a window because no display is available ({0}); run "
                    + "''vigil run --headless'' to record without it.", e.getMessage());
            stopFramework("no display", 1);
            return;
        }
        display = d;
        WorkbenchWindow w = null;
        WindowState closedState = null;
        Exit exit = null;
        boolean failed = false;
        try {
            if (!quit) {
                w = new WorkbenchWindow(this, d);
                window = w;
                w.open();
                LOG.log(Level.INFO, "The workbench is open ({0} ms).",
                        Long.toString((System.nanoTime() - t0) / 1_000_000));
            }
            while (!quit && w != null && !w.isClosed() && !d.isDisposed()) {
                try {
                    if (!d.readAndDispatch()) {
                        d.sleep();
                    }
                } catch (RuntimeException e) {
                    // A listener of some view failed: log it and keep the workbench running.
                    LOG.log(Level.ERROR, "An error in the workbench: " + e, e);
                }
            }
            exit = w == null ? null : w.exit().orElse(null);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "The workbench window failed: " + e, e);
            failed = !quit;
        } finally {
            window = null;
            if (w != null) {
                closedState = w.state();
                w.dispose();
            }
            display = null;
            d.dispose();
        }
        saveWindowState(closedState);
        if (exit != null) {
            exited(exit);
        } else if (failed) {
            stopFramework("the window failed", 1);
        }
    }

    /** The window was closed by the user: stop now, or once the jobs the user kept have ended. */
    private void exited(Exit exit) {
        List<Job<?>> running = exit.waitFor().stream().filter(j -> !j.state().isFinished()).toList();
        if (running.isEmpty()) {
            stopFramework("window closed", 0);
            return;
        }
        LOG.log(Level.INFO, "The workbench is closed; Vigil keeps running until {0} ended, then stops (Ctrl-C "
                + "stops it now).", describe(running));
        AtomicInteger left = new AtomicInteger(running.size());
        for (Job<?> job : running) {
            job.result().whenComplete((v, e) -> {
                if (left.decrementAndGet() == 0) {
                    stopFramework("jobs ended after the window closed", 0);
                }
            });
        }
    }

    static String describe(List<Job<?>> jobs) {
        List<String> names = new ArrayList<>();
        for (Job<?> j : jobs) {
            names.add("'" + j.name() + "'");
        }
        return (jobs.size() == 1 ? "the job " : "the jobs ") + String.join(", ", names);
    }

    /** Stops the framework from a scheduler thread (never from the display thread), or records it in test mode. */
    private void stopFramework(String reason, int exitCode) {
        if (exitOnClose && !stopping.compareAndSet(false, true)) {
            return;
        }
        stopRequests.add(new StopRequest(reason, exitCode));
        if (!exitOnClose) {
            LOG.log(Level.INFO, "The workbench would stop Vigil now ({0}); {1}=false keeps it running.", reason,
                    EXIT_ON_CLOSE_PROPERTY);
            return;
        }
        if (exitCode != 0) {
            System.setProperty(EXIT_CODE_PROPERTY, Integer.toString(exitCode));
        }
        Runnable stop = () -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(Level.WARNING, "Vigil could not be stopped after the workbench closed: {0}", e.getMessage());
            }
        };
        try {
            scheduler.execute("stop Vigil (" + reason + ")", stop);
        } catch (RuntimeException e) {
            // the scheduler is already stopping, and so is the framework
            LOG.log(Level.DEBUG, "Not stopping the framework ({0}): {1}", reason, e.getMessage());
        }
    }

    // --- telling the window ----------------------------------------------------------------------------------

    /** Asks the window to catch up with the services; at most one request is pending. */
    private void refreshWindow() {
        Display d = display;
        if (d == null || !refreshPending.compareAndSet(false, true)) {
            return;
        }
        try {
            d.asyncExec(() -> {
                refreshPending.set(false);
                WorkbenchWindow w = window;
                if (w != null) {
                    w.refresh();
                }
            });
        } catch (SWTException e) {
            refreshPending.set(false); // the display is gone
        }
    }

    /** Closes a removed view's widgets before returning, bounded; runs directly on the display thread. */
    private void refreshWindowAndWait(Contribution gone) {
        Display d = display;
        if (d == null) {
            return;
        }
        if (Thread.currentThread() == uiThread) {
            WorkbenchWindow w = window;
            if (w != null) {
                w.refresh();
            }
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            d.asyncExec(() -> {
                try {
                    WorkbenchWindow w = window;
                    if (w != null) {
                        w.refresh();
                    }
                } finally {
                    done.countDown();
                }
            });
        } catch (SWTException e) {
            return;
        }
        long deadline = System.nanoTime() + VIEW_CLOSE_TIMEOUT.toNanos();
        try {
            while (!done.await(50, TimeUnit.MILLISECONDS)) {
                if (display == null || System.nanoTime() > deadline) {
                    if (display != null) {
                        LOG.log(Level.WARNING, "The view ''{0}'' was not closed within {1} s of its service going "
                                + "away.", gone.id(), VIEW_CLOSE_TIMEOUT.toSeconds());
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the window (without stopping the framework) and waits, bounded, for the display thread to end. */
    @Deactivate
    void deactivate() {
        quit = true;
        Thread t = uiThread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        Display d = display;
        if (d != null) {
            try {
                d.wake();
            } catch (SWTException e) {
                // already disposed
            }
        }
        try {
            t.join(JOIN_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.log(Level.WARNING, "The workbench''s display thread did not end within {0} s.",
                    JOIN_TIMEOUT.toSeconds());
        }
    }

    private static int intProperty(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A status item as shown: the id, its place and the reading. */
    record StatusItem(String id, int order, StatusReading reading) {
    }
}
