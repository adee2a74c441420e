package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.config.SettingsService;
import org.vigil.api.config.UiSettings;

/**
 * The workbench remembers its window's place, size and view across restarts, in the real configuration database
 * (the {@code ui} settings through the SettingsService), and falls back to its default for a stored place that
 * would put the window off every screen.
 */
class WindowStateTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ServiceComponentRuntime scr;

    @InjectService(timeout = 20000)
    SettingsService settings;

    @AfterEach
    void forgetTheWindow() throws Exception {
        Map<String, Object> reset = new HashMap<>();
        reset.put("windowGeometry", null);
        reset.put("windowMaximized", null);
        reset.put("lastView", null);
        // closing stores the window's state: the defaults are put back while it is closed
        Ui.restartWorkbench(context, scr, () -> settings.updateSection(UiSettings.PID, reset));
    }

    private static Rectangle bounds(Display display, WorkbenchWindow window) {
        return Ui.call(display, () -> window.shell().getBounds());
    }

    @Test
    void geometryAndViewComeBackAfterARestart() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        Ui.run(display, () -> window.shell().setBounds(120, 90, 900, 640));
        Ui.waitUntil("the window moved", () -> bounds(display, window).equals(new Rectangle(120, 90, 900, 640)));
        Ui.open(display, window, "About");

        WorkbenchWindow again = Ui.restartWorkbench(context, scr);
        assertEquals("900x640+120+90", settings.section(UiSettings.PID).get("windowGeometry"));
        assertEquals("about", settings.section(UiSettings.PID).get("lastView"));
        Display d = Ui.display(Ui.workbench(context));
        assertTrue(again != window, "a new window");
        assertEquals(new Rectangle(120, 90, 900, 640), bounds(d, again));
        Ui.waitUntilOnUi(d, "the last view is shown",
                () -> again.openView().map(v -> v.contribution().id().equals("about")).orElse(false));
    }

    @Test
    void aMaximizedWindowComesBackMaximizedAndUnmaximizesToItsFormerSize() throws Exception {
        // maximizing is the window manager's work and Xvfb has none: this test runs one while it lasts
        Process wm = startWindowManager();
        try {
            Workbench workbench = Ui.workbench(context);
            WorkbenchWindow window = Ui.window(workbench);
            Display display = Ui.display(workbench);
            Ui.run(display, () -> window.shell().setSize(900, 640));
            Ui.waitUntil("the window is 900x640", () -> Ui.call(display,
                    () -> window.shell().getSize().equals(new Point(900, 640))));
            // asked again until the window manager has taken the window over and acts on it
            Ui.waitUntil("the window manager maximized the window", () -> Ui.call(display, () -> {
                window.shell().setMaximized(true);
                return window.shell().getMaximized() && window.shell().getSize().x > 900;
            }));
            Rectangle screen = Ui.call(display, () -> display.getPrimaryMonitor().getClientArea());

            WorkbenchWindow again = Ui.restartWorkbench(context, scr);
            assertEquals("true", String.valueOf(settings.section(UiSettings.PID).get("windowMaximized")));
            String geometry = String.valueOf(settings.section(UiSettings.PID).get("windowGeometry"));
            assertTrue(geometry.startsWith("900x640"), "the size before maximizing is kept: " + geometry);
            Display d = Ui.display(Ui.workbench(context));
            Ui.waitUntil("the window opens maximized", () -> Ui.call(d, () -> again.shell().getMaximized()));
            Ui.waitUntil("over the screen", () -> bounds(d, again).width > 900 && bounds(d, again).width
                    <= screen.width);
            Ui.run(d, () -> again.shell().setMaximized(false));
            Ui.waitUntil("unmaximized, it has its former size", () -> Ui.call(d,
                    () -> !again.shell().getMaximized() && again.shell().getSize().equals(new Point(900, 640))));
        } finally {
            wm.destroy();
            if (!wm.waitFor(10, TimeUnit.SECONDS)) {
                wm.destroyForcibly();
            }
        }
    }

    /** openbox on the tests' X display (installed by releng/scripts/system-packages.sh). */
    private static Process startWindowManager() throws IOException {
        Path log = Files.createTempFile("vigil-openbox", ".log");
        return new ProcessBuilder("openbox", "--sm-disable").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(log.toFile()).start();
    }

    @Test
    void aStoredGeometryOffEveryScreenFallsBackToTheDefault() throws Exception {
        Workbench workbench = Ui.workbench(context);
        Display display = Ui.display(workbench);
        Rectangle area = Ui.call(display, () -> display.getPrimaryMonitor().getClientArea());
        Rectangle standard = new Rectangle(area.x, area.y, Math.min(1280, area.width), Math.min(800, area.height));
        WorkbenchWindow window = Ui.restartWorkbench(context, scr,
                () -> settings.updateSection(UiSettings.PID, Map.of("windowGeometry", "800x600+9000+9000")));
        assertEquals(standard, bounds(Ui.display(Ui.workbench(context)), window));
    }

    @Test
    void geometryIsParsedAndCheckedAgainstTheScreens() {
        assertEquals(Optional.of(new WindowState.Bounds(-20, 40, 1024, 768)), WindowState.parseGeometry("1024x768-20+40"));
        assertEquals("1024x768-20+40", new WindowState.Bounds(-20, 40, 1024, 768).geometry());
        assertEquals(Optional.empty(), WindowState.parseGeometry("big"));
        assertEquals(Optional.empty(), WindowState.parseGeometry(""));
        List<WindowState.Bounds> screen = List.of(new WindowState.Bounds(0, 0, 1280, 1024));
        assertTrue(new WindowState.Bounds(100, 100, 800, 600).usableOn(screen));
        assertTrue(new WindowState.Bounds(-700, 0, 800, 600).usableOn(screen), "100 px still on screen");
        assertFalse(new WindowState.Bounds(-750, 0, 800, 600).usableOn(screen), "50 px on screen");
        assertFalse(new WindowState.Bounds(9000, 9000, 800, 600).usableOn(screen));
        assertFalse(WindowState.parseGeometry("-800x600+0+0").orElseThrow().usableOn(screen), "negative size");
        assertFalse(new WindowState.Bounds(0, 0, 100, 80).usableOn(screen), "too small to use");
        assertEquals(new WindowState(Optional.of(new WindowState.Bounds(5, 6, 700, 500)), true, "live"),
                WindowState.of(Map.of("windowGeometry", "700x500+5+6", "windowMaximized", Boolean.TRUE,
                        "lastView", "live")));
    }
}
