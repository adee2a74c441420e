package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.ui.Branding;
import org.vigil.ui.Rgb;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/** The workbench as a user and a plugin author meet it, under Xvfb with the real services of the test framework. */
class WorkbenchTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    Workbench workbench;

    WorkbenchWindow window;
    Display display;

    @BeforeAll
    static void watchLeaks() {
        Leaks.watch();
    }

    @BeforeEach
    void openWindow() {
        window = Ui.window(workbench);
        display = Ui.display(workbench);
    }

    @AfterAll
    static void nothingLeaked(@InjectBundleContext BundleContext context) {
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @Test
    void theWindowShowsTheBrandingTheViewsAndAStatusBar() {
        Shell shell = window.shell();
        assertEquals("Vigil", Ui.call(display, shell::getText));
        assertEquals(6, Ui.call(display, () -> shell.getImages().length), "the icons of org.vigil.branding");
        List<String> labels = Ui.call(display, () -> Ui.navigationLabels(window));
        assertTrue(labels.indexOf("Cameras") >= 0 && labels.indexOf("Cameras") < labels.indexOf("About"),
                "Cameras (order 50) comes before About (order 1000): " + labels);
        Ui.waitUntilOnUi(display, "the status bar shows the clock, the host load and the instance state", () -> {
            Map<String, String> s = window.statusTexts();
            return s.getOrDefault("clock", "").matches("\\d\\d:\\d\\d:\\d\\d")
                    && s.getOrDefault("host", "").startsWith("CPU ")
                    && s.getOrDefault("instance", "").equals("Running · no jobs");
        });
        Thread ui = Ui.call(display, Thread::currentThread);
        assertEquals("vigil-ui", ui.getName());
        assertFalse(ui.isDaemon(), "the display thread keeps the process alive while the window is open");
    }

    @Test
    void aViewServiceRegisteredAtRunTimeAppearsAndItsRemovalClosesIt() {
        ProbeView probe = new ProbeView("probe", "Probe", 5);
        ServiceRegistration<ViewContribution> reg = probe.register(context);
        Ui.waitUntilOnUi(display, "the probe view is listed first",
                () -> Ui.navigationLabels(window).indexOf("Probe") == 0);
        OpenView open = Ui.open(display, window, "Probe");
        assertEquals(1, probe.created.get());
        assertEquals("vigil-ui", probe.createdOn.getName(), "views are created on the display thread");
        assertTrue(Ui.call(display, () -> Ui.hasLabel(window.shell(), t -> t.equals("Probe view probe"))));

        reg.unregister();
        // Unregistering returns only once the open view is closed: its bundle may be going away.
        assertEquals(1, probe.disposed.get(), "the view was disposed before unregister() returned");
        assertTrue(Ui.call(display, () -> probe.parent.isDisposed()));
        assertFalse(open.isOpen());
        List<String> labels = Ui.call(display, () -> Ui.navigationLabels(window));
        assertFalse(labels.contains("Probe"), labels.toString());
        assertEquals(labels.get(0), Ui.call(display, () -> window.openView().orElseThrow().contribution().label()),
                "the first remaining view is shown");

        ServiceRegistration<ViewContribution> again = probe.register(context);
        try {
            Ui.waitUntilOnUi(display, "the probe view is back", () -> Ui.navigationLabels(window).contains("Probe"));
            Ui.open(display, window, "Probe");
            assertEquals(2, probe.created.get());
        } finally {
            again.unregister();
        }
        assertEquals(2, probe.disposed.get());
    }

    @Test
    void aViewThatFailsToOpenSaysSoAndTheWorkbenchCarriesOn() {
        ProbeView broken = new ProbeView("broken", "Broken", 9);
        broken.onCreate = ctx -> {
            throw new IllegalStateException("the camera engine is not there");
        };
        ServiceRegistration<ViewContribution> reg = broken.register(context);
        try {
            Ui.waitUntilOnUi(display, "the broken view is listed", () -> Ui.navigationLabels(window).contains("Broken"));
            Ui.run(display, () -> Ui.select(window.navigation(), Ui.navigationLabels(window).indexOf("Broken")));
            Ui.waitUntilOnUi(display, "the workbench says the view could not be opened", () -> Ui.hasLabel(
                    window.content(), t -> t.equals("The view 'Broken' could not be opened; the log says why.")));
            assertTrue(Ui.call(display, () -> broken.parent.isDisposed()), "what it had made is disposed");
            Ui.open(display, window, "About");
        } finally {
            reg.unregister();
        }
    }

    @Test
    void everyViewOpensWorksAndClosesTenTimesWithoutLeakingAnything() {
        List<String> labels = Ui.call(display, () -> Ui.navigationLabels(window));
        assertTrue(labels.containsAll(List.of("Cameras", "About")), labels.toString());
        for (String label : labels) {
            String other = label.equals("About") ? "Cameras" : "About";
            cycle(label, other); // warm-up: fonts, GTK caches
            long fds = Ui.openFileDescriptors();
            int widgets = Ui.call(display, () -> Ui.widgetCount(window.shell()));
            int shells = Ui.call(display, () -> display.getShells().length);
            for (int i = 0; i < 10; i++) {
                cycle(label, other);
            }
            System.out.printf("%s: 10 times opened and closed; widgets %d -> %d, shells %d -> %d, open files %d -> %d%n",
                    label, widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), shells,
                    Ui.call(display, () -> display.getShells().length), fds, Ui.openFileDescriptors());
            assertEquals(widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), label + ": widgets");
            assertEquals(shells, Ui.call(display, () -> display.getShells().length), label + ": shells");
            assertTrue(Ui.openFileDescriptors() <= fds, label + ": open files grew from " + fds + " to "
                    + Ui.openFileDescriptors());
        }
        Leaks.assertNoneReported(display);
    }

    /** Opens {@code label}, waits until it has done its work, then closes it by opening {@code other}. */
    private void cycle(String label, String other) {
        OpenView v = Ui.open(display, window, label);
        Ui.waitUntilOnUi(display, "the view '" + label + "' has loaded", () -> loaded(v));
        Ui.open(display, window, other);
        assertFalse(v.isOpen());
        assertTrue(Ui.call(display, () -> v.control().isDisposed()));
    }

    /** What "working" looks like for the views the workbench ships with. */
    private static boolean loaded(OpenView v) {
        return switch (v.contribution().id()) {
            case "cameras" -> Ui.hasLabel(v.control(), t -> t.startsWith("No cameras yet") || t.endsWith("camera.")
                    || t.endsWith("cameras."));
            case "about" -> Ui.controls(v.control(), Label.class).stream().anyMatch(l -> l.getImage() != null);
            default -> true;
        };
    }

    @Test
    void aViewClosedWhileACallRunsNeverSeesTheLateResult() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        CompletableFuture<String> job = new CompletableFuture<>();
        AtomicReference<Object> applied = new AtomicReference<>();
        AtomicReference<Future<String>> call = new AtomicReference<>();
        ProbeView probe = new ProbeView("slow", "Slow", 6);
        probe.onCreate = ctx -> {
            call.set(ctx.run("slow call", () -> {
                started.countDown();
                try {
                    assertTrue(release.await(20, TimeUnit.SECONDS));
                    return "late";
                } finally {
                    returned.countDown();
                }
            }, applied::set, applied::set));
            ctx.apply(job, applied::set, applied::set); // a job's result, say
        };
        ServiceRegistration<ViewContribution> reg = probe.register(context);
        try {
            Ui.waitUntilOnUi(display, "the slow view is listed", () -> Ui.navigationLabels(window).contains("Slow"));
            Ui.open(display, window, "Slow");
            assertTrue(started.await(20, TimeUnit.SECONDS));
            Ui.open(display, window, "About");
            assertTrue(call.get().isCancelled(), "closing the view cancels its calls");
            release.countDown();
            job.complete("job done"); // delivers on this thread, now
            assertTrue(returned.await(20, TimeUnit.SECONDS));
            Ui.run(display, () -> { }); // whatever was queued before now has run
            Ui.run(display, () -> { });
            assertNull(applied.get(), "the closed view got a result");

            // in an open view the same call delivers, on the display thread
            AtomicReference<Thread> on = new AtomicReference<>();
            probe.onCreate = ctx -> ctx.run("quick call", () -> "now", r -> {
                on.set(Thread.currentThread());
                applied.set(r);
            }, applied::set);
            Ui.open(display, window, "Slow");
            Ui.waitUntil("the open view got its result", () -> "now".equals(applied.get()));
            assertEquals("vigil-ui", on.get().getName());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void frequentUpdatesQueueAtMostOneAsyncExecPerView() throws Exception {
        List<Integer> frames = new CopyOnWriteArrayList<>();
        List<String> progress = new CopyOnWriteArrayList<>();
        AtomicReference<ViewContext.Updates<Integer>> frameSink = new AtomicReference<>();
        AtomicReference<ViewContext.Updates<String>> progressSink = new AtomicReference<>();
        ProbeView probe = new ProbeView("busy", "Busy", 7);
        probe.onCreate = ctx -> {
            frameSink.set(ctx.updates(frames::add));
            progressSink.set(ctx.updates(progress::add));
        };
        ServiceRegistration<ViewContribution> reg = probe.register(context);
        try {
            Ui.waitUntilOnUi(display, "the busy view is listed", () -> Ui.navigationLabels(window).contains("Busy"));
            OpenView view = Ui.open(display, window, "Busy");
            long before = view.updatesPosted();
            // The display thread is busy for a while (a slow paint, say) while values pour in from two threads.
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            display.asyncExec(() -> {
                busy.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(20, TimeUnit.SECONDS));
            Thread producer = new Thread(() -> {
                for (int i = 0; i <= 10_000; i++) {
                    progressSink.get().post("step " + i);
                }
            });
            producer.start();
            for (int i = 0; i <= 10_000; i++) {
                frameSink.get().post(i);
            }
            producer.join(20_000);
            assertEquals(1, view.updatesPosted() - before, "20 002 updates while the display thread was busy");
            release.countDown();
            Ui.waitUntil("the newest values are applied",
                    () -> frames.contains(10_000) && progress.contains("step 10000"));
            assertEquals(List.of(10_000), frames, "only the newest frame is applied");
            assertEquals(List.of("step 10000"), progress);
        } finally {
            reg.unregister();
        }
    }

    @Test
    void theStatusBarShowsWhatOtherBundlesReportAndTheirMessages() {
        StatusSource cameras = source("cameras", 50, "2 of 2 cameras recording");
        ServiceRegistration<StatusSource> camReg = context.registerService(StatusSource.class, cameras, null);
        Ui.waitUntilOnUi(display, "the cameras item shows",
                () -> "2 of 2 cameras recording".equals(window.statusTexts().get("cameras")));
        camReg.unregister();
        Ui.waitUntilOnUi(display, "the cameras item is gone", () -> !window.statusTexts().containsKey("cameras"));

        // the system monitor replaces the built-in host item by registering one with the same id and a higher ranking
        Hashtable<String, Object> ranked = new Hashtable<>();
        ranked.put(Constants.SERVICE_RANKING, 10);
        ServiceRegistration<StatusSource> hostReg = context.registerService(StatusSource.class,
                source("host", 500, "Monitor: CPU 3 %"), ranked);
        Ui.waitUntilOnUi(display, "the monitor's host item replaces the built-in one",
                () -> "Monitor: CPU 3 %".equals(window.statusTexts().get("host")));
        hostReg.unregister();
        Ui.waitUntilOnUi(display, "the built-in host item is back",
                () -> window.statusTexts().getOrDefault("host", "").startsWith("CPU "));

        ProbeView probe = new ProbeView("talk", "Talk", 8);
        probe.onCreate = ctx -> ctx.showMessage("Camera 'front' saved.");
        ServiceRegistration<ViewContribution> reg = probe.register(context);
        try {
            Ui.waitUntilOnUi(display, "the talk view is listed", () -> Ui.navigationLabels(window).contains("Talk"));
            Ui.open(display, window, "Talk");
            Ui.waitUntilOnUi(display, "the view's message shows",
                    () -> "Camera 'front' saved.".equals(window.statusTexts().get("message")));
        } finally {
            reg.unregister();
        }
    }

    private static StatusSource source(String id, int order, String text) {
        return new StatusSource() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public int order() {
                return order;
            }

            @Override
            public StatusReading read() {
                return StatusReading.of(text);
            }
        };
    }

    @Test
    void aVendorBrandingReplacesVigilsAtRunTime() {
        Hashtable<String, Object> ranked = new Hashtable<>();
        ranked.put(Constants.SERVICE_RANKING, 0);
        Supplier<List<URL>> noIcons = List::of;
        ServiceRegistration<Branding> reg = context.registerService(Branding.class, new Branding() {
            @Override
            public String productName() {
                return "Acme Guard";
            }

            @Override
            public String aboutText() {
                return "Acme Guard keeps an eye on your shop.";
            }

            @Override
            public List<URL> icons() {
                return noIcons.get();
            }

            @Override
            public Colors colors() {
                return new Colors(Rgb.of(0x4a148c), Rgb.of(0xffffff), Rgb.of(0xff6f00));
            }
        }, ranked);
        BooleanSupplier acme = () -> Ui.call(display, () -> window.shell().getText()).equals("Acme Guard");
        try {
            Ui.waitUntil("the window shows the vendor's name", acme);
            OpenView about = Ui.open(display, window, "About");
            assertTrue(Ui.call(display, () -> Ui.hasLabel(about.control(), t -> t.contains("keeps an eye"))));
        } finally {
            reg.unregister();
        }
        Ui.waitUntil("Vigil's branding is back", () -> Ui.call(display, () -> window.shell().getText()).equals("Vigil")
                && Ui.call(display, () -> window.shell().getImages().length) == 6);
        assertSame(window, workbench.window().orElseThrow(), "the window stayed open throughout");
    }
}
