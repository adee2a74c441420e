package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Button;
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
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;

/**
 * The Cameras view (bundle org.vigil.ui.cameras) in the running workbench, against the real Configuration Admin: what
 * a user does with the form ends up as factory configurations of {@code org.vigil.camera}, and configurations made
 * elsewhere show up in the list.
 */
class CamerasViewTest {
    static final String SECRET = "s3cret";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ConfigurationAdmin admin;

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

    private Map<String, Object> stored(String id) throws Exception {
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
}
