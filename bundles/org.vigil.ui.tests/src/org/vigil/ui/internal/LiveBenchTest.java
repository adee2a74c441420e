package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.Codec;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.democam.DemoCamera;

/**
 * The live grid benchmark ({@code releng/bench/live-grid.sh}): four cameras on the demo camera (set to 15 fps), the
 * Live view in 2x2 with tiles of exactly 640x360, and the CPU time of the display thread over the measuring time.
 * Runs only when {@code vigil.ui.bench.live} names the seconds to measure; it writes its figures to
 * {@code vigil.ui.bench.out}.
 */
class LiveBenchTest {
    static final List<String> IDS = List.of("bench1", "bench2", "bench3", "bench4");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 20000)
    CameraService cameras;

    @InjectService(timeout = 20000)
    DemoCamera demo;

    /** The demo camera service now (it is registered again when its settings change). */
    private static DemoCamera currentDemo(BundleContext context) {
        var ref = context.getServiceReference(DemoCamera.class);
        return ref == null ? null : context.getService(ref);
    }

    @Test
    void fourTilesOf640x360At15FramesASecond() throws Exception {
        String seconds = context.getProperty("vigil.ui.bench.live");
        assumeTrue(seconds != null && seconds.matches("\\d+"), "vigil.ui.bench.live is not set");
        int measure = Integer.parseInt(seconds);
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("framerate", 15);
        d.put("width", 1280);
        d.put("height", 720);
        String before = demo.url(Codec.H264);
        admin.getConfiguration("org.vigil.democam", "?").update(d);
        // the demo camera restarts with the new rate on a new port: wait for its new service, then add the cameras
        Ui.waitUntil("the demo camera is back at 15 fps", () -> {
            DemoCamera now = currentDemo(context);
            return now != null && !before.equals(now.url(Codec.H264));
        });
        DemoCamera served = currentDemo(context);
        for (String id : IDS) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(CameraProperties.ID, id);
            p.put(CameraProperties.URL, served.url(Codec.H264));
            p.put(CameraProperties.RECORD, false);
            admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?").update(p);
        }
        for (String id : IDS) {
            Ui.waitUntil(id + " streams", () -> cameras.status(id).map(s -> s.state() == CameraState.STREAMING)
                    .orElse(false));
        }
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        OpenView view = Ui.open(display, window, "Live");
        Ui.run(display, () -> Ui.click(Ui.find(view.control(), Button.class, b -> b.getText().equals("2x2"), "2x2")));
        Ui.waitUntilOnUi(display, "four tiles", () -> tiles(view).size() == 4);
        Ui.run(display, () -> {
            Shell shell = window.shell();
            Point grid = tiles(view).get(0).getParent().getSize();
            Point s = shell.getSize();
            shell.setSize(s.x + 640 * 2 + 2 - grid.x, s.y + 360 * 2 + 2 - grid.y);
        });
        Ui.waitUntilOnUi(display, "the tiles are 640x360", () -> tiles(view).stream()
                .allMatch(c -> c.getSize().equals(new Point(640, 360))));
        long uiThread = Ui.call(display, () -> display.getThread().getId());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // warm-up: the subscriptions at 640x360 start and settle
        Thread.sleep(5000);
        long cpu0 = threads.getThreadCpuTime(uiThread);
        long proc0 = processCpuNanos();
        long frames0 = IDS.stream().mapToLong(this::frames).sum();
        long t0 = System.nanoTime();
        Thread.sleep(measure * 1000L); // the measuring window
        long wall = System.nanoTime() - t0;
        double ui = 100.0 * (threads.getThreadCpuTime(uiThread) - cpu0) / wall;
        double process = 100.0 * (processCpuNanos() - proc0) / wall;
        double fps = (IDS.stream().mapToLong(this::frames).sum() - frames0) / (wall / 1e9) / IDS.size();
        String result = String.format(Locale.ROOT,
                "seconds=%d%nui.cpu.percent=%.1f%nprocess.cpu.percent=%.1f%ncamera.fps=%.1f%ntiles=4x640x360%n",
                measure, ui, process, fps);
        System.out.print(result);
        String out = context.getProperty("vigil.ui.bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), result);
        }
        Ui.open(display, window, "About");
        for (String id : IDS) {
            Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?");
            c.delete();
        }
        assertTrue(fps > 10, "the cameras delivered " + fps + " frames a second");
    }

    /** utime + stime of this process from /proc (clock ticks of 10 ms on Debian), in nanoseconds. */
    private static long processCpuNanos() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    private long frames(String id) {
        return cameras.statistics(id).map(CameraStatistics::frames).orElse(0L);
    }

    private static List<Canvas> tiles(OpenView view) {
        return Ui.controls(view.control(), Canvas.class).stream().filter(c -> c.getData("vigil.camera") != null)
                .toList();
    }

}
