package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.Codec;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSecrets;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.api.democam.DemoCamera;
import org.vigil.testing.Invocation;

/**
 * The Cameras view (bundle org.vigil.ui.cameras) in the running workbench, against the real Configuration Admin: what
 * a user does with the form ends up as factory configurations of {@code org.vigil.camera}, and configurations made
 * elsewhere show up in the list. "Test connection" runs the real camera engine's connection test against the demo
 * camera.
 */
class CamerasViewTest {
    static final String SECRET = "s3cret";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 20000)
    DemoCamera demo;

    @InjectService(timeout = 20000)
    SettingsService settings;

    @InjectService(timeout = 20000)
    CameraSecrets secrets;

    @InjectService(filter = "(component.name=org.vigil.config.internal.CameraCommand)", timeout = 20000)
    VigilCommand cameraCommand;

    WorkbenchWindow window;
    Display display;
    Composite view;

    @BeforeAll
    static void watchLeaks() {
        Leaks.watch();
    }

    @AfterAll
    static void nothingLeaked(@InjectBundleContext BundleContext context) {
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    @BeforeEach
    void openTheCamerasView() throws Exception {
        for (Configuration c : cameras()) {
            c.delete();
        }
        Workbench workbench = Ui.workbench(context);
        window = Ui.window(workbench);
        display = Ui.display(workbench);
        Ui.open(display, window, "About");
        view = Ui.open(display, window, "Cameras").control();
        Ui.waitUntilOnUi(display, "the empty list is loaded", () -> Ui.hasLabel(view, t -> t.startsWith("No cameras yet")));
    }

    private Configuration[] cameras() throws Exception {
        Configuration[] found = admin.listConfigurations("(service.factoryPid=" + CameraSettings.FACTORY_PID + ")");
        return found == null ? new Configuration[0] : found;
    }

    /** What Configuration Admin holds for a camera, the password put back from where it is kept apart. */
    private Map<String, Object> stored(String id) throws Exception {
        Map<String, Object> held = held(id);
        return held == null ? null : secrets.resolve(held);
    }

    /** What Configuration Admin holds for a camera (and {@code vigil shell} prints): no password. */
    private Map<String, Object> held(String id) throws Exception {
        Configuration[] found = admin.listConfigurations("(service.pid=" + CameraProperties.pid(id) + ")");
        if (found == null) {
            return null;
        }
        Map<String, Object> p = new LinkedHashMap<>();
        Dictionary<String, Object> d;
        try {
            d = found[0].getProperties();
        } catch (IllegalStateException deletedMeanwhile) {
            return null; // deleted between listing and reading: it is gone
        }
        for (String k : java.util.Collections.list(d.keys())) {
            p.put(k, d.get(k));
        }
        return p;
    }

    private void configure(String id, String name, String url, String codec) throws IOException {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(CameraProperties.ID, id);
        p.put(CameraProperties.NAME, name);
        p.put(CameraProperties.URL, url);
        p.put(CameraProperties.CODEC, codec);
        admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?").update(p);
    }

    private Table table() {
        return Ui.call(display, () -> Ui.controls(view, Table.class).get(0));
    }

    private String cell(String id, int column) {
        Table t = table();
        return Ui.call(display, () -> {
            int row = Ui.rowOf(t, 1, id);
            return row < 0 ? null : t.getItem(row).getText(column);
        });
    }

    private void click(String button) {
        Ui.run(display, () -> Ui.click(Ui.button(view, button)));
    }

    private void fill(String label, String text) {
        Ui.run(display, () -> Ui.type(Ui.field(view, label, Text.class), text));
    }

    private String problem() {
        // the form's message: the wrapped label in the problem colour
        return Ui.call(display, () -> Ui.controls(view, Label.class).stream()
                .filter(l -> l.isVisible() && l.getForeground().getRGB().equals(new RGB(0xb7, 0x1c, 0x1c)))
                .map(Label::getText).filter(t -> !t.isEmpty()).findFirst().orElse(""));
    }

    private void selectRow(String id) {
        Table t = table();
        Ui.run(display, () -> Ui.select(t, Ui.rowOf(t, 1, id)));
    }

    @Test
    void aCameraConfiguredElsewhereIsListedWithItsPasswordMasked() throws Exception {
        configure("front", "Front door", "rtsp://admin:" + SECRET + "@192.168.1.20:554/stream1", "h264");
        Ui.waitUntil("the camera is listed", () -> cell("front", 0) != null);
        assertEquals("Front door", cell("front", 0));
        assertEquals("rtsp://admin:***@192.168.1.20:554/stream1", cell("front", 2));
        assertEquals("H.264", cell("front", 3));
        Table t = table();
        assertFalse(Ui.call(display, () -> Stream.of(t.getItems()).anyMatch(i -> {
            for (int c = 0; c < t.getColumnCount(); c++) {
                if (i.getText(c).contains(SECRET)) {
                    return true;
                }
            }
            return false;
        })), "the password is on screen");
    }

    @Test
    void addingACameraThroughTheFormCreatesItsFactoryConfiguration() throws Exception {
        click("Add camera");
        fill("Id", "yard");
        fill("Name", "Yard");
        fill("Main stream URL", "rtsp://viewer:" + SECRET + "@192.168.1.21:554/h264");
        Ui.run(display, () -> {
            Combo codec = Ui.field(view, "Codec", Combo.class);
            codec.select(codec.indexOf("H.264"));
        });
        Ui.run(display, () -> Ui.click(Ui.find(view, Button.class, b -> b.getText().equals("Record this camera"),
                "record switch")));
        click("Save");

        Ui.waitUntil("the configuration exists", () -> {
            try {
                return stored("yard") != null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Map<String, Object> p = stored("yard");
        assertEquals("org.vigil.camera~yard", p.get("service.pid"));
        assertEquals(CameraSettings.FACTORY_PID, p.get("service.factoryPid"));
        assertEquals("yard", p.get(CameraProperties.ID));
        assertEquals("Yard", p.get(CameraProperties.NAME));
        assertEquals("rtsp://viewer:" + SECRET + "@192.168.1.21:554/h264", p.get(CameraProperties.URL));
        assertFalse(String.valueOf(held("yard")).contains(SECRET), "Configuration Admin holds no password");
        assertEquals("h264", p.get(CameraProperties.CODEC));
        assertEquals("tcp", p.get(CameraProperties.TRANSPORT));
        assertEquals(Boolean.FALSE, p.get(CameraProperties.RECORD));
        assertEquals(Boolean.TRUE, p.get(CameraProperties.ENABLED));
        assertEquals(60, p.get(CameraProperties.SEGMENT));
        assertNull(p.get(CameraProperties.SUB_URL));

        Ui.waitUntil("the new camera is listed", () -> "Yard".equals(cell("yard", 0)));
        assertEquals("rtsp://viewer:***@192.168.1.21:554/h264", cell("yard", 2));
        assertEquals("No", cell("yard", 5));
        Ui.waitUntilOnUi(display, "the status bar says so",
                () -> "Camera 'Yard' added.".equals(window.statusTexts().get("message")));
        assertFalse(Ui.call(display, () -> Ui.controls(view, Button.class).stream()
                .anyMatch(b -> b.getText().equals("Save") && b.isVisible())), "the form closed");
    }

    @Test
    void invalidInputShowsTheRuleOfCameraConfigAndWritesNothing() throws Exception {
        click("Add camera");
        click("Save");
        assertEquals(ruleFor(null, null), problem());
        assertTrue(problem().startsWith("The camera id is missing"), problem());
        fill("Id", "Front Door");
        fill("Main stream URL", "http://192.168.1.20/video");
        click("Save");
        assertEquals(ruleFor("Front Door", "http://192.168.1.20/video"), problem());
        assertTrue(problem().startsWith("Camera id 'Front Door' is not allowed"), problem());

        fill("Id", "front-door"); // the message follows the typing once shown
        assertEquals(ruleFor("front-door", "http://192.168.1.20/video"), problem());
        assertTrue(problem().contains("must start with rtsp://"), problem());
        click("Save");
        assertEquals(0, cameras().length, "nothing may be written while the form is invalid");

        configure("front", "Front door", "rtsp://192.168.1.20:554/stream1", "auto");
        fill("Id", "front");
        fill("Main stream URL", "rtsp://192.168.1.30:554/stream1");
        click("Save");
        Ui.waitUntil("the duplicate is refused",
                () -> problem().equals("A camera with the id 'front' exists already; choose another id."));
        assertEquals("rtsp://192.168.1.20:554/stream1", stored("front").get(CameraProperties.URL));
    }

    @Test
    void aCameraAddedInTheViewIsStoredExactlyAsVigilCameraAddStoresIt() throws Exception {
        String url = "rtsp://viewer:" + SECRET + "@192.168.1.21:554/h264";
        click("Add camera");
        fill("Id", "yard");
        fill("Name", "Yard gate");
        fill("Main stream URL", url);
        Ui.run(display, () -> {
            Combo codec = Ui.field(view, "Codec", Combo.class);
            codec.select(codec.indexOf("H.265"));
        });
        Ui.run(display, () -> Ui.click(Ui.find(view, Button.class, b -> b.getText().equals("Record this camera"),
                "record switch")));
        click("Save");
        Ui.waitUntil("the view's camera is listed", () -> "Yard gate".equals(cell("yard", 0)));
        Map<String, Object> fromView = stored("yard");
        CameraConfig read = settings.camera("yard").orElseThrow();
        assertEquals(url, read.url(), "the settings service reads what the view wrote");
        assertEquals("Yard gate", read.name());
        assertEquals(Codec.H265, read.codec());
        assertFalse(read.record());

        settings.removeCamera("yard");
        Ui.waitUntilOnUi(display, "the list is empty again", () -> Ui.hasLabel(view, t -> t.startsWith("No cameras yet")));
        Invocation added = Invocation.run(cameraCommand, false, "add", "yard", url, "--name", "Yard gate", "--codec",
                "h265", "--record", "off");
        assertEquals(0, added.exitCode, added.errors());
        assertEquals(fromView, stored("yard"), "the view and 'vigil camera add' store the same camera");
    }

    @Test
    void aChangeTheSettingsServiceRefusesShowsItsSentenceAndChangesNothing() throws Exception {
        String longName = "Yard".repeat(51); // 204 characters: the form takes it, the service refuses it
        String sentence = assertThrows(SettingsException.class,
                () -> settings.addCamera(CameraConfig.of("yard", longName, "rtsp://192.168.1.21:554/h264")))
                .getMessage();
        assertEquals(0, cameras().length);

        click("Add camera");
        fill("Id", "yard");
        fill("Name", longName);
        fill("Main stream URL", "rtsp://192.168.1.21:554/h264");
        click("Save");
        Ui.waitUntil("the service's sentence is shown", () -> problem().equals(sentence));
        assertTrue(sentence.startsWith("The camera name is 204 characters long"), sentence);
        assertEquals(0, cameras().length, "nothing was written");
        assertTrue(visible("Save"), "the form stays open to fix the name");

        configure("front", "Front door", "rtsp://192.168.1.20:554/stream1", "auto");
        Ui.waitUntil("the other camera is listed", () -> cell("front", 0) != null);
        fill("Id", "front");
        fill("Name", "Yard");
        click("Save");
        String duplicate = assertThrows(SettingsException.class,
                () -> settings.addCamera(CameraConfig.of("front", "Yard", "rtsp://192.168.1.21:554/h264")))
                .getMessage();
        Ui.waitUntil("the service's duplicate sentence is shown", () -> problem().equals(duplicate));
        assertEquals("Front door", stored("front").get(CameraProperties.NAME), "the existing camera is unchanged");
        assertEquals(1, cameras().length);
        click("Cancel");
    }

    private static String ruleFor(String id, String url) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (id != null) {
            p.put(CameraProperties.ID, id);
        }
        if (url != null) {
            p.put(CameraProperties.URL, url);
        }
        return assertThrows(IllegalArgumentException.class, () -> CameraProperties.toConfig(p)).getMessage();
    }

    @Test
    void editingKeepsTheStoredPasswordBehindTheMask() throws Exception {
        String url = "rtsp://admin:" + SECRET + "@192.168.1.20:554/stream1";
        configure("front", "Front door", url, "h264");
        Ui.waitUntil("the camera is listed", () -> cell("front", 0) != null);
        selectRow("front");
        click("Edit");
        assertEquals("rtsp://admin:***@192.168.1.20:554/stream1",
                Ui.call(display, () -> Ui.field(view, "Main stream URL", Text.class).getText()));
        assertFalse(Ui.call(display, () -> Ui.field(view, "Id", Text.class).getEditable()), "the id names the folder");
        fill("Name", "Front entrance");
        click("Save");
        Ui.waitUntil("the new name is listed", () -> "Front entrance".equals(cell("front", 0)));
        assertEquals(url, stored("front").get(CameraProperties.URL), "the password was kept");
        assertEquals("Front entrance", stored("front").get(CameraProperties.NAME));

        selectRow("front");
        click("Edit");
        fill("Main stream URL", "rtsp://admin:***@192.168.1.99:554/stream1");
        click("Save");
        assertTrue(problem().startsWith("The main stream URL still shows *** in place of the password"), problem());
        assertEquals(url, stored("front").get(CameraProperties.URL));
    }

    @Test
    void removingAsksFirstThenDeletesTheConfiguration() throws Exception {
        configure("till", "Till", "rtsp://192.168.1.22:554/mjpeg", "mjpeg");
        Ui.waitUntil("the camera is listed", () -> cell("till", 0) != null);
        selectRow("till");
        click("Remove");
        assertTrue(Ui.call(display, () -> Ui.hasLabel(view,
                t -> t.equals("Remove the camera 'Till' (till)? Its recordings stay on disk."))));
        click("Keep");
        assertNotNull(stored("till"));
        selectRow("till");
        click("Remove");
        click("Remove camera");
        Ui.waitUntil("the configuration is gone", () -> {
            try {
                return stored("till") == null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Ui.waitUntilOnUi(display, "the list is empty again", () -> Ui.hasLabel(view, t -> t.startsWith("No cameras yet")));
    }

    @Test
    void aScreenshotOfTheCamerasViewIsSaved() throws Exception {
        configure("front", "Front door", "rtsp://admin:" + SECRET + "@192.168.1.20:554/stream1", "h264");
        configure("yard", "Yard", "rtsp://192.168.1.21:554/h265", "h265");
        configure("till", "Till", "rtsp://192.168.1.22:554/mjpeg", "mjpeg");
        Ui.waitUntil("three cameras are listed", () -> cell("till", 0) != null && cell("yard", 0) != null
                && cell("front", 0) != null);
        selectRow("front");
        click("Edit");
        // two status bar ticks later everything has been laid out and painted
        String clock = Ui.call(display, () -> window.statusTexts().get("clock"));
        Ui.waitUntilOnUi(display, "the clock ticks", () -> !window.statusTexts().get("clock").equals(clock));
        String later = Ui.call(display, () -> window.statusTexts().get("clock"));
        Ui.waitUntilOnUi(display, "the clock ticks again", () -> !window.statusTexts().get("clock").equals(later));

        Path file = Ui.screenshot(context, display, window, "workbench-cameras.png");
        ImageData shot = new ImageLoader().load(file.toString())[0];
        assertTrue(Files.size(file) > 10_000, file + " is too small to show anything");
        // the navigation column has the branding's colour: the window was really on screen
        assertEquals(new RGB(0x26, 0x32, 0x38), shot.palette.getRGB(shot.getPixel(20, shot.height - 80)));
        Table t = table();
        assertEquals(3, Ui.call(display, t::getItemCount));
        click("Cancel");
    }

    // --- Test connection ---------------------------------------------------------------------------------------

    /** The line the connection test shows (empty while hidden). */
    private String testLine() {
        return Ui.call(display, () -> {
            Label l = Ui.find(view, Label.class, x -> x.getData("vigil.cameras.testLine") != null, "the test's line");
            return l.isVisible() ? l.getText() : "";
        });
    }

    private boolean testLineIsAProblem() {
        return Ui.call(display, () -> Ui.find(view, Label.class, x -> x.getData("vigil.cameras.testLine") != null,
                "the test's line").getForeground().getRGB().equals(new RGB(0xb7, 0x1c, 0x1c)));
    }

    private Canvas picture() {
        return Ui.call(display, () -> Ui.find(view, Canvas.class,
                c -> c.getData("vigil.cameras.snapshot") != null, "the test picture"));
    }

    private boolean pictureVisible() {
        Canvas c = picture();
        return Ui.call(display, c::isVisible);
    }

    private boolean visible(String button) {
        return Ui.call(display, () -> Ui.controls(view, Button.class).stream()
                .anyMatch(b -> b.getText().equals(button) && b.isVisible()));
    }

    /** Clicks "Test connection" and gives the line shown at once (before any result can arrive). */
    private String clickTest() {
        return Ui.call(display, () -> {
            Ui.click(Ui.button(view, "Test connection"));
            return Ui.controls(view, Label.class).stream().filter(Label::isVisible).map(Label::getText)
                    .filter(t -> t.startsWith("Connecting to ")).findFirst().orElse("");
        });
    }

    /** Distinct colours on screen in the test picture (a blank picture has one). */
    private int coloursOnScreen() {
        Canvas c = picture();
        ImageData shot = Ui.call(display, () -> Ui.capture(c));
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < shot.height; y += 2) {
            for (int x = 0; x < shot.width; x += 2) {
                colours.add(shot.getPixel(x, y));
            }
        }
        return colours.size();
    }

    /** Connection tests whose pipeline the camera engine has not released yet (its internal count; tests only). */
    private int runningProbes() {
        return Ui.engineCount(context, "runningProbes");
    }

    @Test
    void testingTheDemoCameraShowsItsCodecLineAndItsPicture() throws Exception {
        String url = demo.url(Codec.H264);
        click("Add camera");
        fill("Main stream URL", url);
        assertEquals("Connecting to " + url + " …", clickTest());
        assertTrue(visible("Cancel test"), "a running test can be cancelled");
        Ui.waitUntil("the test's result is shown", () -> testLine().contains(" — "));
        String line = testLine();
        assertTrue(line.matches("H\\.264 \\d+x\\d+ \\d+ fps, no audio — recordable"), line);
        assertFalse(visible("Cancel test"), "nothing runs any more");
        assertTrue(pictureVisible(), "the picture is shown");
        int colours = coloursOnScreen();
        assertTrue(colours > 20, "the camera's picture is on screen, not a blank box: " + colours + " colours");
        assertFalse(testLineIsAProblem(), "the result is not shown as a problem");
        assertEquals("", problem(), "no problem is shown");

        // two status bar ticks later everything has been laid out and painted
        String clock = Ui.call(display, () -> window.statusTexts().get("clock"));
        Ui.waitUntilOnUi(display, "the clock ticks", () -> !window.statusTexts().get("clock").equals(clock));
        Path file = Ui.screenshot(context, display, window, "cameras-test-connection.png");
        assertTrue(Files.size(file) > 10_000, file + " is too small to show anything");
        assertEquals(0, cameras().length, "testing writes no camera");
        click("Cancel");
        Ui.waitUntil("the engine released the test's connection", () -> runningProbes() == 0);
    }

    @Test
    void aWrongUrlGetsTheReasonAndARunningTestCanBeCancelled() throws Exception {
        String url = demo.url(Codec.H264);
        String wrong = url.substring(0, url.lastIndexOf('/')) + "/no-such-stream";
        click("Add camera");
        fill("Main stream URL", wrong);
        clickTest();
        Ui.waitUntil("the reason is shown", () -> testLine().contains("404 Not Found"));
        String line = testLine();
        int port = Integer.parseInt(wrong.replaceAll("^rtsp://[^:]+:(\\d+)/.*$", "$1"));
        assertEquals("The camera at 127.0.0.1:" + port + " has no stream at this path (404 Not Found); check the path"
                + " in the camera's URL.", line);
        assertTrue(testLineIsAProblem(), "the reason is shown as a problem");
        assertFalse(pictureVisible(), "no picture for a failed test");

        fill("Main stream URL", "ftp://camera/stream");
        click("Test connection");
        assertTrue(problem().contains("must start with rtsp://"), problem());

        // a camera that accepts the connection and never answers: the test runs until cancelled
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            fill("Main stream URL", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/stream");
            assertTrue(clickTest().startsWith("Connecting to rtsp://127.0.0.1:"));
            Ui.waitUntil("the engine runs the test", () -> runningProbes() == 1);
            click("Cancel test");
            assertEquals("The test was cancelled.", testLine());
            Ui.waitUntil("the cancelled test's connection is released", () -> runningProbes() == 0);

            // closing the form while a test runs: its late result is ignored
            assertTrue(clickTest().startsWith("Connecting to"));
            click("Cancel");
            Ui.waitUntil("the engine released the test", () -> runningProbes() == 0);
            click("Add camera");
            assertEquals("", testLine(), "a new form starts without the former test");
        }
        assertEquals(0, cameras().length);
        click("Cancel");
    }

    @Test
    void testingAndClosingTheViewTenTimesLeavesNoResourceOrConnection() throws Exception {
        String url = demo.url(Codec.H264);
        testAndClose(url, true); // warm-up: fonts, GTK caches, decoder libraries
        long fds = Ui.openFileDescriptors();
        int widgets = Ui.call(display, () -> Ui.widgetCount(window.shell()));
        for (int i = 0; i < 10; i++) {
            testAndClose(url, i % 2 == 0); // every other time the view closes while the test still runs
        }
        Ui.waitUntil("every test's connection is released", () -> runningProbes() == 0);
        System.out.printf("Cameras with Test connection: 10 times opened and closed; widgets %d -> %d, open files %d"
                + " -> %d%n", widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), fds,
                Ui.openFileDescriptors());
        assertEquals(widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), "widgets");
        Ui.waitUntil("open files are back to " + fds + " (now " + Ui.openFileDescriptors() + ")",
                () -> Ui.openFileDescriptors() <= fds);
        Leaks.assertNoneReported(display);
    }

    private void testAndClose(String url, boolean waitForPicture) {
        OpenView v = Ui.open(display, window, "Cameras");
        view = v.control();
        click("Add camera");
        fill("Main stream URL", url);
        clickTest();
        if (waitForPicture) {
            Ui.waitUntil("the picture is shown", () -> testLine().endsWith("— recordable"));
            assertTrue(coloursOnScreen() > 20);
        }
        Ui.open(display, window, "About");
        assertFalse(v.isOpen());
    }
}
