package org.vigil.democam.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.democam.DemoCamera;
import org.vigil.democam.internal.DemoCameraAccess;
import org.vigil.democam.internal.DemoCameraComponent;
import org.vigil.gst.GstRuntime;
import org.vigil.testing.Await;

/** Starting, reconfiguring and stopping the demo camera. */
class DemoCameraLifecycleTest {
    static final String LOOP_THREAD = "vigil-democam-rtsp";

    @InjectService(timeout = 10000)
    GstRuntime gst;

    @InjectService(timeout = 10000)
    ConfigurationAdmin configurationAdmin;

    @InjectBundleContext
    BundleContext context;

    @Test
    void stoppingTheCameraFreesItsPortAndThreadsAndCanBeRepeated() throws Exception {
        int loopsBefore = loopThreads();
        int threadsBefore = processThreads();
        // the benchmark camera: 1080p25 at 4 Mbit/s
        DemoCameraComponent own = new DemoCameraComponent(context,
                DemoCameraAccess.config(Map.of("width", 1920, "height", 1080, "bitrate_kbps", 4000)), gst);
        int port = own.port();
        assertTrue(port > 0);
        assertEquals(loopsBefore + 1, loopThreads(), "one named loop thread per camera");
        assertEquals(1, context.getServiceReferences(DemoCamera.class, "(port=" + port + ")").size());
        RtspProbe probe = new RtspProbe(gst, own.url(Codec.H264), "video", "rtph264depay name=depay ! h264parse", false);
        try {
            probe.play();
            assertTrue(probe.await(1, Duration.ofSeconds(20)), "served before the stop (error: " + probe.error() + ")");
            assertEquals(1920, probe.frames().get(0).width());
            assertEquals(1080, probe.frames().get(0).height());
            System.out.println("1080p25 4 Mbit/s H264 time to first frame: " + probe.timeToFirstFrame().toMillis()
                    + " ms; process threads " + threadsBefore + " before, " + processThreads() + " while serving");
            long t0 = System.nanoTime();
            own.stop(); // a client is still connected
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("demo camera stop with a client connected: " + stopMs + " ms");
            assertTrue(stopMs < 6000, "the stop is bounded: " + stopMs + " ms");
        } finally {
            probe.close();
        }
        assertTrue(context.getServiceReferences(DemoCamera.class, "(port=" + port + ")").isEmpty(),
                "the service went with the server");
        assertTrue(Await.until(Duration.ofSeconds(5), () -> loopThreads() == loopsBefore), "the loop thread ended");
        assertTrue(refused(port), "nothing listens on " + port + " any more");
        // the server's pipeline (source, encoder threads) went with it; GLib keeps a few idle pool threads for 15 s
        boolean threadsBack = Await.until(Duration.ofSeconds(20), () -> processThreads() <= threadsBefore + 3);
        System.out.println("process threads after the stop: " + processThreads() + " (before: " + threadsBefore + ")");
        assertTrue(threadsBack, "threads back to " + threadsBefore + " (+3), now " + processThreads());
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        own.stop(); // idempotent
    }

    @Test
    void aConfigurationChangeRestartsTheCameraWithTheNewSize() throws Exception {
        ServiceReference<DemoCamera> before = awaitCamera("(width=1280)");
        int oldPort = (Integer) before.getProperty("port");
        Configuration config = configurationAdmin.getConfiguration("org.vigil.democam", "?");
        try {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put("width", 640);
            p.put("height", 360);
            p.put("framerate", 15);
            p.put("bitrate.kbps", 500);
            config.update(p);
            ServiceReference<DemoCamera> after = awaitCamera("(width=640)");
            assertEquals(360, after.getProperty("height"));
            int newPort = (Integer) after.getProperty("port");
            if (newPort != oldPort) {
                assertTrue(refused(oldPort), "the previous server let go of port " + oldPort);
            }
            String url = (String) after.getProperty("url.h264");
            try (RtspProbe probe = RtspProbe.playing(gst, url, "video", "rtph264depay name=depay ! h264parse", false)) {
                assertTrue(probe.await(1, Duration.ofSeconds(20)), "frames after the change (error: " + probe.error() + ")");
                assertEquals(640, probe.frames().get(0).width());
                assertEquals(360, probe.frames().get(0).height());
            }
        } finally {
            config.delete();
            awaitCamera("(width=1280)");
        }
        assertEquals(1, context.getServiceReferences(DemoCamera.class, null).size(), "one camera after the restarts");
        assertNotEquals(0, loopThreads());
    }

    private ServiceReference<DemoCamera> awaitCamera(String filter) throws Exception {
        ServiceReference<?>[] found = new ServiceReference<?>[1];
        assertTrue(Await.until(Duration.ofSeconds(20), () -> {
            try {
                var refs = context.getServiceReferences(DemoCamera.class, filter);
                found[0] = refs.isEmpty() ? null : refs.iterator().next();
                return found[0] != null;
            } catch (InvalidSyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }), "a demo camera " + filter);
        @SuppressWarnings("unchecked")
        ServiceReference<DemoCamera> ref = (ServiceReference<DemoCamera>) found[0];
        return ref;
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int processThreads() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return -1;
    }

    private static int loopThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(LOOP_THREAD)).count();
    }
}
