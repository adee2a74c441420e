package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.vigil.api.camera.CameraService;
import org.vigil.testing.Await;

/**
 * Drives the workbench from a test thread. The display thread is the workbench's own ({@code vigil-ui}); the test
 * hands work to it and waits, bounded, so a hang fails the test instead of stalling the build. Widgets are found
 * the way a user finds them: by their text, or by the label in front of them.
 */
final class Ui {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** How often a condition is looked at: many run on the display thread. */
    private static final Duration POLL = Duration.ofMillis(20);

    private Ui() {
    }

    /** The workbench service now (a new instance after the component was restarted). */
    static Workbench workbench(BundleContext context) {
        ServiceReference<Workbench> ref = context.getServiceReference(Workbench.class);
        if (ref == null) {
            fail("The workbench component is not active.");
        }
        return context.getService(ref);
    }

    /** Restarts the workbench component through SCR (a new window on a new display) and waits for its window. */
    static WorkbenchWindow restartWorkbench(BundleContext context,
            org.osgi.service.component.runtime.ServiceComponentRuntime scr) {
        return restartWorkbench(context, scr, () -> {
        });
    }

    /** What a test does while the workbench is closed. */
    interface WhileClosed {
        void run() throws Exception;
    }

    /** Like {@link #restartWorkbench(BundleContext, org.osgi.service.component.runtime.ServiceComponentRuntime)},
     * doing {@code between} while no window is open. */
    static WorkbenchWindow restartWorkbench(BundleContext context,
            org.osgi.service.component.runtime.ServiceComponentRuntime scr, WhileClosed between) {
        org.osgi.service.component.runtime.dto.ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(
                context.getBundle(), Workbench.class.getName());
        try {
            scr.disableComponent(d).getValue();
            between.run();
            scr.enableComponent(d).getValue();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return window(workbench(context));
    }

    /** Waits until the workbench's window is on screen and returns it. */
    static WorkbenchWindow window(Workbench workbench) {
        waitUntil("the workbench window is open", () -> workbench.window().isPresent() && workbench.display()
                .map(d -> call(d, () -> workbench.window().map(w -> w.shell().isVisible()).orElse(false)))
                .orElse(false));
        return workbench.window().orElseThrow();
    }

    static Display display(Workbench workbench) {
        return workbench.display().orElseThrow(() -> new AssertionError("The workbench has no display."));
    }

    /**
     * A count the camera engine keeps for diagnostics (a no-argument int method of its implementation, such as
     * {@code liveSubscriptions} or {@code runningProbes}); read by reflection because it is no API.
     */
    static int engineCount(BundleContext context, String method) {
        ServiceReference<CameraService> ref = context.getServiceReference(CameraService.class);
        Object engine = context.getService(ref);
        try {
            java.lang.reflect.Method m = engine.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            return (Integer) m.invoke(engine);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        } finally {
            context.ungetService(ref);
        }
    }

    /** Runs {@code task} on the display thread and gives its result. */
    static <T> T call(Display display, Callable<T> task) {
        if (display.getThread() == Thread.currentThread()) {
            try {
                return task.call(); // already on the display thread: waiting for it would wait for ourselves
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        display.asyncExec(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("The display thread did not answer within " + TIMEOUT.toSeconds() + " s.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void run(Display display, Runnable task) {
        call(display, () -> {
            task.run();
            return null;
        });
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after the timeout. */
    static void waitUntil(String what, BooleanSupplier condition) {
        Await.until(what, TIMEOUT, POLL, condition);
    }

    /** Like {@link #waitUntil} with the condition evaluated on the display thread. */
    static void waitUntilOnUi(Display display, String what, Callable<Boolean> condition) {
        waitUntil(what, () -> call(display, condition));
    }

    // --- finding widgets (display thread) --------------------------------------------------------------------

    static <T extends Control> List<T> controls(Composite root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Control> void collect(Control c, Class<T> type, List<T> found) {
        if (type.isInstance(c)) {
            found.add(type.cast(c));
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                collect(child, type, found);
            }
        }
    }

    static int widgetCount(Composite root) {
        return controls(root, Control.class).size();
    }

    static <T extends Control> T find(Composite root, Class<T> type, Predicate<T> which, String what) {
        return controls(root, type).stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("No " + what + " on screen."));
    }

    /** The visible button with this text. */
    static Button button(Composite root, String text) {
        return find(root, Button.class, b -> b.getText().equals(text) && b.isVisible(), "button '" + text + "'");
    }

    /** The control after the label with this text (how forms are laid out: label, field). */
    static <T extends Control> T field(Composite root, String label, Class<T> type) {
        Label l = find(root, Label.class, x -> x.getText().equals(label), "label '" + label + "'");
        Control[] siblings = l.getParent().getChildren();
        for (int i = 0; i < siblings.length - 1; i++) {
            if (siblings[i] == l) {
                return type.cast(siblings[i + 1]);
            }
        }
        throw new AssertionError("Nothing follows the label '" + label + "'.");
    }

    static boolean hasLabel(Composite root, Predicate<String> text) {
        return controls(root, Label.class).stream().anyMatch(l -> !l.isDisposed() && text.test(l.getText()));
    }

    /** Clicks a button as a user does (a check box toggles first). */
    static void click(Button b) {
        if ((b.getStyle() & (SWT.CHECK | SWT.RADIO | SWT.TOGGLE)) != 0) {
            b.setSelection(!b.getSelection());
        }
        b.notifyListeners(SWT.Selection, new Event());
    }

    static void type(Text t, String text) {
        t.setText(text); // fires Modify like typing does
    }

    /** Selects a row as a user does (setSelection alone fires no event). */
    static void select(Table table, int index) {
        table.setSelection(index);
        Event e = new Event();
        e.item = table.getItem(index);
        table.notifyListeners(SWT.Selection, e);
    }

    /** Checks the box of a row as a user does (setChecked alone fires no event). */
    static void check(Table table, int index) {
        TableItem item = table.getItem(index);
        item.setChecked(true);
        Event e = new Event();
        e.item = item;
        e.detail = SWT.CHECK;
        table.notifyListeners(SWT.Selection, e);
    }

    static int rowOf(Table table, int column, String text) {
        TableItem[] items = table.getItems();
        for (int i = 0; i < items.length; i++) {
            if (items[i].getText(column).equals(text)) {
                return i;
            }
        }
        return -1;
    }

    static List<String> navigationLabels(WorkbenchWindow w) {
        return Stream.of(w.navigation().getItems()).map(TableItem::getText).toList();
    }

    /** Opens a view by its label in the navigation and waits until it is the open one. */
    static OpenView open(Display display, WorkbenchWindow w, String label) {
        run(display, () -> {
            int i = navigationLabels(w).indexOf(label);
            if (i < 0) {
                throw new AssertionError("No view '" + label + "' in the navigation: " + navigationLabels(w));
            }
            select(w.navigation(), i);
        });
        waitUntilOnUi(display, "the view '" + label + "' is open",
                () -> w.openView().map(v -> v.contribution().label().equals(label)).orElse(false));
        return call(display, () -> w.openView().orElseThrow());
    }

    /** What is on screen in the control's area now, as the X server has it. */
    static org.eclipse.swt.graphics.ImageData screen(Display display, Control c) {
        return call(display, () -> {
            c.update();
            org.eclipse.swt.graphics.Rectangle r = c.getBounds();
            org.eclipse.swt.graphics.Point at = c.getParent() == null ? new org.eclipse.swt.graphics.Point(r.x, r.y)
                    : c.toDisplay(0, 0);
            org.eclipse.swt.graphics.Image image = new org.eclipse.swt.graphics.Image(display, r.width, r.height);
            org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(display);
            try {
                gc.copyArea(image, at.x, at.y);
                return image.getImageData();
            } finally {
                gc.dispose();
                image.dispose();
            }
        });
    }

    /** Saves a PNG of the workbench window to the folder named by {@code vigil.ui.screenshots}. */
    // --- pictures (display thread) ------------------------------------------------------------------------------

    /** The pixels of {@code control} as they are on screen now. */
    static ImageData capture(Control control) {
        Display display = control.getDisplay();
        control.update();
        Point at = control.toDisplay(0, 0);
        Point size = control.getSize();
        Image image = new Image(display, Math.max(1, size.x), Math.max(1, size.y));
        GC gc = new GC(display);
        try {
            gc.copyArea(image, at.x, at.y);
        } finally {
            gc.dispose();
        }
        try {
            return image.getImageData();
        } finally {
            image.dispose();
        }
    }

    static RGB rgb(ImageData data, int x, int y) {
        return data.palette.getRGB(data.getPixel(x, y));
    }

    /** Saves a picture of the window as {@code name} in the screenshots folder ({@code vigil.ui.screenshots}). */
    static Path screenshot(BundleContext context, Display display, WorkbenchWindow window, String name)
            throws IOException {
        Path dir = Path.of(context.getProperty("vigil.ui.screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ImageData shot = call(display, () -> capture(window.shell()));
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { shot };
        loader.save(file.toString(), SWT.IMAGE_PNG);
        return file;
    }

    // --- the process ---------------------------------------------------------------------------------------

    static long openFileDescriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
