package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Registration;

/**
 * The Health view (bundle org.vigil.ui.health) with the real system monitor and camera engine: real readings, the
 * charts, an alert raised by a real condition (a camera that cannot connect, with the monitor's offline delay set to
 * 2 s) appearing in the list while the view is open, every column wide enough for its header and values at the
 * window's default size, and no leak after opening and closing it ten times.
 */
class HealthViewTest {
    static final String CAMERA = "gone";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 20000)
    SystemMonitor monitor;

    @BeforeAll
    static void watchLeaks() {
        Leaks.watch();
    }

    @AfterAll
    static void cleanUp(@InjectBundleContext BundleContext context) throws Exception {
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, CAMERA, "?").delete();
        admin.getConfiguration("org.vigil.monitor", "?").delete();
        Leaks.assertNoneReported(Ui.display(Ui.workbench(context)));
    }

    private static List<String> rows(Table t, int column) {
        return Stream.of(t.getItems()).map(i -> i.getText(column)).toList();
    }

    private static Table table(OpenView v, String firstColumn) {
        return Ui.find(v.control(), Table.class, t -> t.getColumn(0).getText().equals(firstColumn),
                "table " + firstColumn);
    }

    @Test
    void showsRealReadingsChartsAndAnAlertRaisedWhileOpen() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        OpenView view = Ui.open(display, window, "Health");
        Ui.waitUntilOnUi(display, "the readings are shown", () -> rows(table(view, "Reading"), 0).contains("CPU"));
        List<String> values = Ui.call(display, () -> rows(table(view, "Reading"), 1));
        assertTrue(values.get(0).matches("\\d+ % of \\d+ cores"), values.toString());
        assertTrue(values.get(1).matches("[\\d.]+ [kMGT]?B of [\\d.]+ [kMGT]?B used"), values.toString());
        assertTrue(values.stream().noneMatch(String::isBlank), values.toString());

        // the charts draw (frame and title in the theme's muted colour on the background)
        List<Canvas> charts = Ui.call(display, () -> Ui.controls(view.control(), Canvas.class).stream()
                .filter(c -> c.getData("vigil.chart") != null).toList());
        assertEquals(3, charts.size());
        ImageData shot = Ui.screen(display, charts.get(0));
        var muted = Ui.call(display, () -> window.theme().muted().getRGB());
        long mutedPixels = 0;
        for (int x = 0; x < shot.width; x++) {
            if (shot.palette.getRGB(shot.getPixel(x, 0)).equals(muted)) {
                mutedPixels++;
            }
        }
        assertTrue(mutedPixels > shot.width / 2, "the chart's frame is drawn: " + mutedPixels + " of " + shot.width);

        // a real condition: a camera nobody answers for, offline after 2 s
        List<AlertEvent> heard = new CopyOnWriteArrayList<>();
        try (Registration r = monitor.addAlertListener(heard::add)) {
            Hashtable<String, Object> m = new Hashtable<>();
            m.put("cameraOfflineSeconds", 2);
            admin.getConfiguration("org.vigil.monitor", "?").update(m);
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(CameraProperties.ID, CAMERA);
            p.put(CameraProperties.URL, "rtsp://127.0.0.1:9/stream1");
            Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, CAMERA, "?");
            c.update(p);
            Ui.waitUntil("the monitor raises the camera's alert", () -> heard.stream().anyMatch(e -> e.type()
                    == AlertEvent.Type.RAISED && e.alert().kind() == AlertKind.CAMERA_OFFLINE
                    && e.alert().subject().equals(CAMERA)));
        }
        String sentence = heard.stream().filter(e -> e.alert().subject().equals(CAMERA)).findFirst().orElseThrow()
                .message();
        Ui.waitUntilOnUi(display, "the alert is listed", () -> Stream.of(table(view, "Time").getItems())
                .anyMatch(i -> i.getText(2).equals(sentence) && i.getText(1).equals("Raised")));
        TableItem top = Ui.call(display, () -> table(view, "Time").getItem(0));
        assertEquals(sentence, Ui.call(display, () -> top.getText(2)), "the newest alert is on top");
        // a sentence wider than its column is read whole in the row's tooltip
        String tip = Ui.call(display, () -> {
            Table alerts = table(view, "Time");
            org.eclipse.swt.graphics.Rectangle row = top.getBounds(2);
            org.eclipse.swt.widgets.Event hover = new org.eclipse.swt.widgets.Event();
            hover.x = row.x + 5;
            hover.y = row.y + row.height / 2;
            alerts.notifyListeners(org.eclipse.swt.SWT.MouseHover, hover);
            return alerts.getToolTipText();
        });
        assertEquals(sentence, tip, "the hovered alert's tooltip");
        Ui.waitUntilOnUi(display, "the camera is listed with its state", () -> rows(table(view, "Camera"), 0)
                .contains(CAMERA));

        java.nio.file.Path dir = java.nio.file.Path.of(context.getProperty("vigil.ui.screenshots"));
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve("workbench-health.png");
        org.eclipse.swt.graphics.ImageLoader loader = new org.eclipse.swt.graphics.ImageLoader();
        loader.data = new ImageData[] { Ui.screen(display, window.shell()) };
        loader.save(file.toString(), org.eclipse.swt.SWT.IMAGE_PNG);
        assertTrue(java.nio.file.Files.size(file) > 10_000, file + " is too small to show anything");
    }

    @Test
    void everyColumnIsWideEnoughForItsHeaderAndValuesAtTheDefaultWindowSize() {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        org.eclipse.swt.graphics.Rectangle before = Ui.call(display, () -> window.shell().getBounds());
        boolean maximized = Ui.call(display, () -> window.shell().getMaximized());
        try {
            // the size the window opens at without a stored one (WorkbenchWindow)
            org.eclipse.swt.graphics.Rectangle standard = Ui.call(display, () -> {
                org.eclipse.swt.graphics.Rectangle area = display.getPrimaryMonitor().getClientArea();
                window.shell().setMaximized(false);
                window.shell().setBounds(area.x, area.y, Math.min(1280, area.width), Math.min(800, area.height));
                return window.shell().getBounds();
            });
            OpenView view = Ui.open(display, window, "Health");
            Ui.waitUntilOnUi(display, "the readings are shown", () -> rows(table(view, "Reading"), 0).contains("Vigil"));
            Ui.waitUntilOnUi(display, "the window keeps its default size", () -> window.shell().getBounds()
                    .equals(standard));
            String[] cut = { "" };
            try {
                Ui.waitUntilOnUi(display, "every column shows its header and values whole", () -> {
                    cut[0] = cutColumns(view);
                    return cut[0].isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " Too narrow:" + cut[0], e);
            }
            assertTrue(Ui.call(display, () -> table(view, "Reading").getItemCount()) >= 5, "readings are checked");
        } finally {
            Ui.run(display, () -> {
                window.shell().setBounds(before);
                window.shell().setMaximized(maximized);
            });
        }
    }

    /** The columns of the view's tables narrower than their header or a value needs (display thread). */
    private static String cutColumns(OpenView view) {
        StringBuilder cut = new StringBuilder();
        for (Table t : Ui.controls(view.control(), Table.class)) {
            org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(t);
            try {
                gc.setFont(t.getFont());
                int right = 0;
                for (int i = 0; i < t.getColumnCount(); i++) {
                    var column = t.getColumn(i);
                    int need = gc.textExtent(column.getText()).x;
                    String widest = column.getText();
                    for (TableItem item : t.getItems()) {
                        int w = gc.textExtent(item.getText(i)).x;
                        if (w > need) {
                            need = w;
                            widest = item.getText(i);
                        }
                    }
                    if (column.getWidth() < need) {
                        cut.append(" '").append(column.getText()).append("' is ").append(column.getWidth())
                                .append(" px, '").append(widest).append("' needs ").append(need).append(';');
                    }
                    right += column.getWidth();
                }
                // the readings and the cameras are whole in view; an alert's sentence may need scrolling
                boolean whole = !t.getColumn(0).getText().equals("Time");
                if (whole && right > t.getClientArea().width) {
                    cut.append(" the table '").append(t.getColumn(0).getText()).append("' needs ").append(right)
                            .append(" px and shows ").append(t.getClientArea().width).append(';');
                }
            } finally {
                gc.dispose();
            }
        }
        return cut.toString();
    }

    @Test
    void openingAndClosingTenTimesLeavesNothingBehind() {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        Runnable cycle = () -> {
            OpenView v = Ui.open(display, window, "Health");
            Ui.waitUntilOnUi(display, "the readings are shown", () -> rows(table(v, "Reading"), 0).contains("CPU"));
            Ui.open(display, window, "About");
        };
        cycle.run();
        long fds = Ui.openFileDescriptors();
        int widgets = Ui.call(display, () -> Ui.widgetCount(window.shell()));
        for (int i = 0; i < 10; i++) {
            cycle.run();
        }
        assertEquals(widgets, Ui.call(display, () -> Ui.widgetCount(window.shell())), "widgets");
        Ui.waitUntil("open files are back to " + fds, () -> Ui.openFileDescriptors() <= fds);
        Leaks.assertNoneReported(display);
    }
}
