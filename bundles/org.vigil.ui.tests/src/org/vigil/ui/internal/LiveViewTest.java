package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.democam.DemoCamera;

/**
 * The Live view (bundle org.vigil.ui.live) in the running workbench with the real camera engine recording the demo
 * camera: moving pictures in the tile, the reason of a camera that cannot connect, full size and back, the layouts,
 * and no subscription, resource or handle left behind after closing it.
 */
class LiveViewTest {
    static final String DEMO = "demo";
    static final String DEAD = "dead";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 20000)
    CameraService cameras;

    @InjectService(timeout = 20000)
    DemoCamera demo;

    WorkbenchWindow window;
    Display display;
    OpenView view;

    @BeforeAll
    static void watchLeaks() {
        Leaks.watch();
    }

    @AfterAll
    static void nothingLeaked(@InjectBundleContext BundleContext context) throws Exception {
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Configuration[] found = admin.listConfigurations("(service.factoryPid=" + CameraSettings.FACTORY_PID + ")");
        for (Configuration c : found == null ? new Configuration[0] : found) {
            c.delete();
        }
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @BeforeEach
    void openTheLiveView() throws Exception {
        configure(DEMO, "Demo camera", demo.url(org.vigil.api.camera.Codec.H264));
        configure(DEAD, "Back door", "rtsp://127.0.0.1:9/stream1");
        Ui.waitUntil("the demo camera records", () -> cameras.status(DEMO)
                .map(s -> s.state() == CameraState.RECORDING).orElse(false));
        Workbench workbench = Ui.workbench(context);
        window = Ui.window(workbench);
        display = Ui.display(workbench);
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Live");
        Ui.waitUntilOnUi(display, "both cameras have a tile", () -> tile(DEMO).isPresent() && tile(DEAD).isPresent());
        choose("2x2");
    }

    private void configure(String id, String name, String url) throws Exception {
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?");
        if (c.getProperties() != null && url.equals(c.getProperties().get(CameraProperties.URL))) {
            return;
        }
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(CameraProperties.ID, id);
        p.put(CameraProperties.NAME, name);
        p.put(CameraProperties.URL, url);
        p.put(CameraProperties.SEGMENT, 10);
        c.update(p);
    }

    /** The tile of a camera (display thread). */
    private Optional<Canvas> tile(String id) {
        return Ui.controls(view.control(), Canvas.class).stream()
                .filter(c -> !c.isDisposed() && id.equals(c.getData("vigil.camera"))).findFirst();
    }

    private Composite grid() {
        return Ui.call(display, () -> Ui.controls(view.control(), Canvas.class).stream()
                .filter(c -> c.getData("vigil.camera") != null).findFirst().orElseThrow().getParent());
    }

    private int cells() {
        Composite g = grid();
        return Ui.call(display, () -> g.getChildren().length);
    }

    private void choose(String layout) {
        Ui.run(display, () -> Ui.click(Ui.find(view.control(), Button.class, b -> b.getText().equals(layout),
                "layout button " + layout)));
    }

    private ImageData screen(Control c) {
        return Ui.screen(display, c);
    }

    /** Pixels below the caption, where the picture is. */
    private static int[] picture(ImageData d) {
        int[] px = new int[d.width * (d.height - 30)];
        for (int y = 30; y < d.height; y++) {
            d.getPixels(0, y, d.width, px, (y - 30) * d.width);
        }
        return px;
    }

    /** Waits until the picture in the tile changes, as a moving camera picture does (the caption is left out). */
    private void waitForMovingPicture(Canvas tile, String what) {
        int[] first = picture(screen(tile));
        Ui.waitUntil(what, () -> !Arrays.equals(first, picture(screen(tile))));
    }

    /** The share of black pixels in the picture area, 0 to 1. */
    private static double black(ImageData d) {
        int[] px = picture(d);
        return (double) Arrays.stream(px).filter(p -> d.palette.getRGB(p).equals(new org.eclipse.swt.graphics.RGB(0, 0, 0)))
                .count() / px.length;
    }

    @Test
    void theDemoCamerasPictureMovesInItsTile() throws Exception {
        Canvas t = Ui.call(display, () -> tile(DEMO).orElseThrow());
        Ui.waitUntilOnUi(display, "the tile says the camera records",
                () -> t.getToolTipText().startsWith("Demo camera (demo): Recording"));
        waitForMovingPicture(t, "the demo camera's picture moves");
        assertTrue(Ui.call(display, t::getToolTipText).startsWith("Demo camera (demo): Recording"),
                Ui.call(display, t::getToolTipText));

        Path dir = Path.of(context.getProperty("vigil.ui.screenshots"));
        Files.createDirectories(dir);
        Path file = dir.resolve("workbench-live.png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { screen(window.shell()) };
        loader.save(file.toString(), SWT.IMAGE_PNG);
        assertTrue(Files.size(file) > 10_000, file + " is too small to show anything");
    }

    @Test
    void aCameraThatCannotConnectShowsTheReason() {
        Ui.waitUntil("the dead camera has a reason", () -> cameras.status(DEAD)
                .flatMap(s -> s.reason()).isPresent());
        String reason = cameras.status(DEAD).flatMap(s -> s.reason()).orElseThrow();
        Ui.waitUntilOnUi(display, "its tile tells the reason",
                () -> tile(DEAD).map(c -> c.getToolTipText().contains(reason)).orElse(false));
        String tip = Ui.call(display, () -> tile(DEAD).orElseThrow().getToolTipText());
        assertTrue(tip.startsWith("Back door (dead): Reconnecting") || tip.startsWith("Back door (dead): Offline"),
                tip);
        // no picture: the tile is black with text. The X server may still show what was there before the view was
        // laid out (GTK 3 paints on its frame clock), so wait for it rather than judging the first grab.
        Canvas dead = Ui.call(display, () -> tile(DEAD).orElseThrow());
        Ui.waitUntil("the dead camera's tile shows no picture, only text on black (90 % black)",
                () -> black(screen(dead)) > 0.9);
    }

    @Test
    void doubleClickShowsTheCameraFullSizeAndEscapeReturns() {
        Canvas small = Ui.call(display, () -> tile(DEMO).orElseThrow());
        Point gridSize = Ui.call(display, () -> small.getParent().getSize());
        Point tileSize = Ui.call(display, small::getSize);
        assertTrue(tileSize.x < gridSize.x / 2 + 1, "a 2x2 tile is half the grid wide");
        Ui.run(display, () -> small.notifyListeners(SWT.MouseDoubleClick, new Event()));
        Ui.waitUntilOnUi(display, "the demo camera fills the grid", () -> tile(DEMO)
                .map(c -> c.getSize().x == gridSize.x && c.getSize().y == gridSize.y).orElse(false));
        assertEquals(1, cells());
        assertTrue(Ui.call(display, () -> tile(DEAD).isEmpty()));
        Canvas full = Ui.call(display, () -> tile(DEMO).orElseThrow());
        waitForMovingPicture(full, "the full-size picture moves");
        Ui.run(display, () -> {
            Event esc = new Event();
            esc.keyCode = SWT.ESC;
            full.notifyListeners(SWT.KeyDown, esc);
        });
        Ui.waitUntilOnUi(display, "the grid is back", () -> tile(DEAD).isPresent() && tile(DEMO).isPresent());
        assertEquals(4, cells());
        assertTrue(Ui.call(display, () -> full.isDisposed()));
    }

    @Test
    void fullSizeShowsTheMainStreamEvenWhenTheTileUsesTheSubStream() throws Exception {
        // the sub-stream goes nowhere: the tile (preview) stays black, full size (main stream) moves
        String id = "subcam";
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(CameraProperties.ID, id);
        p.put(CameraProperties.NAME, "Side gate");
        p.put(CameraProperties.URL, demo.url(org.vigil.api.camera.Codec.H264));
        p.put(CameraProperties.SUB_URL, "rtsp://127.0.0.1:9/sub");
        p.put(CameraProperties.RECORD, false);
        c.update(p);
        try {
            Ui.waitUntilOnUi(display, "the camera streams in its tile", () -> tile(id)
                    .map(t -> t.getToolTipText().startsWith("Side gate (subcam): Streaming")).orElse(false));
            Canvas small = Ui.call(display, () -> tile(id).orElseThrow());
            waitForMovingPicture(Ui.call(display, () -> tile(DEMO).orElseThrow()), "the demo camera's tile moves");
            Ui.waitUntil("the tile shows no picture: its sub-stream cannot be reached",
                    () -> black(screen(small)) > 0.9);
            Ui.run(display, () -> small.notifyListeners(SWT.MouseDoubleClick, new Event()));
            Ui.waitUntil("the camera is shown full size",
                    () -> cells() == 1 && Ui.call(display, () -> tile(id).isPresent()));
            Canvas full = Ui.call(display, () -> tile(id).orElseThrow());
            waitForMovingPicture(full, "the full-size picture (main stream) moves");
        } finally {
            c.delete();
        }
        Ui.waitUntilOnUi(display, "the removed camera's tile goes", () -> tile(id).isEmpty());
    }

    @Test
    void aRenamedCameraShowsItsNewNameAtOnce() throws Exception {
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, DEMO, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        for (var keys = c.getProperties().keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            p.put(k, c.getProperties().get(k));
        }
        try {
            p.put(CameraProperties.NAME, "Front gate");
            c.update(p);
            Ui.waitUntilOnUi(display, "the tile shows the new name", () -> tile(DEMO)
                    .map(t -> t.getToolTipText().startsWith("Front gate (demo): Recording")).orElse(false));
        } finally {
            p.put(CameraProperties.NAME, "Demo camera");
            c.update(p);
        }
        Ui.waitUntilOnUi(display, "and the old one back", () -> tile(DEMO)
                .map(t -> t.getToolTipText().startsWith("Demo camera (demo): ")).orElse(false));
    }

    @Test
    void theLayoutButtonsChangeTheGrid() {
        choose("3x3");
        Ui.waitUntil("nine cells", () -> cells() == 9);
        choose("1");
        Ui.waitUntil("one cell", () -> cells() == 1);
        assertTrue(Ui.call(display, () -> tile(DEAD).isPresent() && tile(DEMO).isEmpty()),
                "the first camera by id ('dead' before 'demo') fills the one cell");
        choose("4x4");
        Ui.waitUntil("sixteen cells", () -> cells() == 16);
        assertTrue(Ui.call(display, () -> tile(DEMO).isPresent() && tile(DEAD).isPresent()));
        assertEquals(List.of(false, false, false, true), Ui.call(display, () -> Ui.controls(view.control(),
                Button.class).stream().map(Button::getSelection).toList()), "only 4x4 is pressed");
        Ui.waitUntil("every layout change closed the former tiles' subscriptions", () -> liveSubscriptions() == 2);
    }

    @Test
    void openingAndClosingTenTimesLeavesNoSubscriptionResourceOrHandle() {
        cycle(); // warm-up
        long fds = Ui.openFileDescriptors();
        int widgets = Ui.call(display, () -> Ui.widgetCount(window.shell()));
        for (int i = 0; i < 10; i++) {
            cycle();
        }
        Ui.waitUntil("no live subscription is left", () -> liveSubscriptions() == 0);
        System.out.printf("Live: 10 times opened and closed; widgets %d -> %d, open files %d -> %d%n", widgets,
                Ui.call(display, () -> Ui.widgetCount(window.shell())), fds, Ui.openFileDescriptors());
        assertEquals(widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), "widgets");
        Ui.waitUntil("open files are back to " + fds + " (now " + Ui.openFileDescriptors() + ")",
                () -> Ui.openFileDescriptors() <= fds);
        Leaks.assertNoneReported(display);
    }

    private void cycle() {
        view = Ui.open(display, window, "Live");
        Ui.waitUntilOnUi(display, "the demo tile is shown", () -> tile(DEMO).isPresent());
        Canvas t = Ui.call(display, () -> tile(DEMO).orElseThrow());
        waitForMovingPicture(t, "the picture moves");
        assertTrue(liveSubscriptions() > 0);
        Ui.open(display, window, "About");
        assertFalse(view.isOpen());
    }

    /** The camera engine's count of open live subscriptions (its internal statistic; read for the test only). */
    private int liveSubscriptions() {
        return Ui.engineCount(context, "liveSubscriptions");
    }
}
