package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.users.Actor;
import org.vigil.api.users.Role;
import org.vigil.api.users.UserService;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * The live re-stream (org.vigil.restream) with clients nobody here wrote: ffprobe and ffmpeg over TCP and UDP,
 * gst-launch-1.0 rtspsrc. Credentials are the recorder's users (Basic), a wrong or missing password gets 401 and no
 * video, an unknown camera 404; eight viewers of one camera leave the camera with exactly one connection (counted at
 * the demo camera's port), and the recording keeps going without a gap while viewers come and go.
 */
class RestreamTest {
    static final String USER = "restream-viewer";
    static final String PASSWORD = "rs-pass-0423";
    static final Duration CLIENT = Duration.ofSeconds(60);

    @InjectBundleContext
    static BundleContext context;

    static Harness h;
    static int port;
    static Configuration config;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, RestreamTest.class);
        h = new Harness(context, "restream");
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ConfigurationAdmin admin = Harness.service(context, ConfigurationAdmin.class);
        config = admin.getConfiguration("org.vigil.restream", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("port", port);
        config.update(p);
        Await.until("the re-stream listens on 127.0.0.1:" + port, Duration.ofSeconds(30), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        UserService users = Harness.service(context, UserService.class);
        Actor test = new Actor("test", "local");
        if (users.find(USER).isPresent()) {
            users.changePassword(USER, PASSWORD.toCharArray(), test);
        } else {
            users.add(USER, Role.VIEWER, PASSWORD.toCharArray(), test);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
        // the re-stream's configuration stays for the framework's life (like the demo camera's): deleting it would
        // restart the component while the next test class counts the registry's listeners
    }

    static String url(String userInfo, String path) {
        return "rtsp://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port + path;
    }

    static String viewer() {
        return USER + ":" + PASSWORD;
    }

    /** A finished client: its exit code and everything it printed. */
    record Ran(int exit, String output) {
    }

    static Process launch(Path log, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static Ran run(String... command) throws Exception {
        Path log = Files.createTempFile(h.work, "client", ".log");
        Process p = launch(log, command);
        if (!p.waitFor(CLIENT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " did not end within " + CLIENT.toSeconds()
                    + " s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Ran(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    static Ran ffprobe(String transport, String url) throws Exception {
        return run("ffprobe", "-v", "error", "-rtsp_transport", transport, "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", url);
    }

    /**
     * The clients of the camera server process {@code pid} at {@code port}: established TCP connections of that port
     * whose socket belongs to the process (a port number alone also matches other programs' outgoing connections
     * that happen to use it as their own port).
     */
    static int clientsOf(long pid, int port) throws IOException {
        java.util.Set<String> sockets = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        sockets.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        int n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[1].contains(":")) {
                    continue;
                }
                int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                if (local == port && f[3].equals("01") && sockets.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void aViewerWithAPasswordGetsTheVideoAndNobodyElseDoes() throws Exception {
        String id = "rs-auth";
        h.add(id, DemoCam.url(context, "url.h264"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        String expected = "h264," + DemoCam.WIDTH + "," + DemoCam.HEIGHT;

        Ran tcp = ffprobe("tcp", url(viewer(), "/" + id + "/main"));
        assertEquals(0, tcp.exit(), tcp.output());
        assertEquals(expected, tcp.output().trim(), "TCP: the camera's codec and picture size");
        Ran udp = ffprobe("udp", url(viewer(), "/" + id + "/main"));
        assertEquals(0, udp.exit(), udp.output());
        assertEquals(expected, udp.output().trim(), "UDP: the camera's codec and picture size");
        Ran sub = ffprobe("tcp", url(viewer(), "/" + id + "/sub"));
        assertEquals(expected, sub.output().trim(), "/sub of a camera without a sub-stream is its main stream");

        Ran wrong = ffprobe("tcp", url(USER + ":not-the-password", "/" + id + "/main"));
        assertTrue(wrong.exit() != 0 && wrong.output().contains("401"), "a wrong password: 401; " + wrong);
        assertTrue(!wrong.output().contains("h264"), "and no video");
        Ran none = ffprobe("tcp", url(null, "/" + id + "/main"));
        assertTrue(none.exit() != 0 && none.output().contains("401"), "no credentials: 401; " + none);
        Ran unknown = ffprobe("tcp", url(viewer(), "/no-such-camera/main"));
        assertTrue(unknown.exit() != 0 && unknown.output().contains("404"), "an unknown camera: 404; " + unknown);

        Ran gst = run("gst-launch-1.0", "-q", "rtspsrc", "location=" + url(viewer(), "/" + id + "/main"),
                "protocols=tcp", "!", "rtph264depay", "!", "h264parse", "!", "identity", "eos-after=25", "!",
                "fakesink");
        assertEquals(0, gst.exit(), "gst-launch-1.0 rtspsrc received 25 frames and ended: " + gst.output());
        Await.until("the tap is detached after the last viewer left", Duration.ofSeconds(15),
                () -> TestAccess.tapBranches(h.cameras, id) == 0);
        h.remove(id);
    }

    @Test
    void subServesTheSubStreamAndH265AndMjpegAreReStreamedToo() throws Exception {
        String id = "rs-sub";
        // main stream H.265, sub-stream MJPEG: /main and /sub carry each without decoding
        h.add(id, DemoCam.url(context, "url.h265"), "subUrl", DemoCam.url(context, "url.mjpeg"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        int session = TestAccess.numbers(h.cameras, id).orElseThrow().session();
        Ran main = ffprobe("tcp", url(viewer(), "/" + id + "/main"));
        assertEquals("hevc," + DemoCam.WIDTH + "," + DemoCam.HEIGHT, main.output().trim(), "/main: " + main);
        Ran sub = ffprobe("tcp", url(viewer(), "/" + id + "/sub"));
        assertEquals("mjpeg," + DemoCam.WIDTH + "," + DemoCam.HEIGHT, sub.output().trim(), "/sub: " + sub);
        Await.until("the sub-stream's connection stops after its last viewer left", Duration.ofSeconds(20),
                () -> !TestAccess.numbers(h.cameras, id).orElseThrow().subStream());
        assertEquals(session, TestAccess.numbers(h.cameras, id).orElseThrow().session(),
                "the main connection was never restarted");
        h.remove(id);
    }

    @Test
    void eightViewersLeaveTheCameraWithOneConnectionAndTheRecordingHasNoGap() throws Exception {
        String id = "rs-eight";
        // a camera server of its own, so that every connection at its port is this camera's
        TestCamera cam = TestCamera.start(h.work.resolve("eight-camera"), 640, 360, 25, 25);
        try {
            eightViewers(id, cam);
        } finally {
            cam.close();
        }
    }

    private void eightViewers(String id, TestCamera cam) throws Exception {
        h.add(id, cam.url("/h264"), "segmentSeconds", 3);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        Await.until("recording", Duration.ofSeconds(10), () -> TestAccess.numbers(h.cameras, id).orElseThrow()
                .writing());
        int session = TestAccess.numbers(h.cameras, id).orElseThrow().session();
        int before = clientsOf(cam.pid(), cam.port());
        assertEquals(1, before, "the recorder's own connection to the camera");

        for (int round = 0; round < 2; round++) {
            List<Process> viewers = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Path log = Files.createTempFile(h.work, "viewer" + i, ".log");
                    logs.add(log);
                    String u = url(viewer(), "/" + id + "/main");
                    viewers.add(i % 2 == 0
                            ? launch(log, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                                    i % 4 == 0 ? "tcp" : "udp", "-i", u, "-frames:v", "100", "-c", "copy", "-f",
                                    "null", "-")
                            : launch(log, "gst-launch-1.0", "-q", "rtspsrc", "location=" + u, "protocols=tcp", "!",
                                    "rtph264depay", "!", "h264parse", "!", "identity", "eos-after=100", "!",
                                    "fakesink"));
                }
                int most = 0;
                int taps = 0;
                long deadline = System.nanoTime() + CLIENT.toNanos();
                while (viewers.stream().anyMatch(Process::isAlive) && System.nanoTime() < deadline) {
                    most = Math.max(most, clientsOf(cam.pid(), cam.port()));
                    taps = Math.max(taps, TestAccess.tapBranches(h.cameras, id));
                    viewers.get(0).waitFor(100, TimeUnit.MILLISECONDS);
                }
                for (int i = 0; i < viewers.size(); i++) {
                    Process p = viewers.get(i);
                    assertTrue(p.waitFor(1, TimeUnit.SECONDS), "viewer " + i + " ended within " + CLIENT.toSeconds()
                            + " s");
                    assertEquals(0, p.exitValue(), "viewer " + i + " received 100 frames: "
                            + Files.readString(logs.get(i), StandardCharsets.UTF_8));
                }
                assertEquals(before, most, "round " + round + ": the camera kept its one connection with 8 viewers");
                assertEquals(1, taps, "round " + round + ": one tap for all 8 viewers");
            } finally {
                for (Process p : viewers) {
                    p.destroyForcibly();
                }
            }
            Await.until("round " + round + ": the tap is detached after the viewers left", Duration.ofSeconds(15),
                    () -> TestAccess.tapBranches(h.cameras, id) == 0);
        }
        TestAccess.Numbers n = TestAccess.numbers(h.cameras, id).orElseThrow();
        assertEquals(session, n.session(), "the recording connection was never restarted");
        assertEquals(0, n.reconnects());
        int closedBefore = h.segments(id).size();
        Await.until("one more segment", Duration.ofSeconds(10), () -> h.segments(id).size() > closedBefore);
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        assertTrue(segs.size() >= 3, "segments: " + segs.size());
        for (int i = 0; i + 1 < segs.size(); i++) {
            assertEquals(segs.get(i).end(), segs.get(i + 1).start(), "no gap after segment " + i);
        }
        Report.line(context, String.format(Locale.ROOT, "re-stream: 2 rounds of 8 viewers (ffmpeg TCP/UDP,"
                + " gst-launch rtspsrc), camera connections %d, %d contiguous segments", before, segs.size()));
    }

    @Test
    void aRemovedCameraEndsItsViewersAndIsNoLongerServed() throws Exception {
        String id = "rs-gone";
        h.add(id, DemoCam.url(context, "url.h264"), "record", false);
        h.awaitState(id, CameraState.STREAMING, Duration.ofSeconds(20));
        Path log = Files.createTempFile(h.work, "gone", ".log");
        Process p = launch(log, "gst-launch-1.0", "-v", "rtspsrc", "location=" + url(viewer(), "/" + id + "/main"),
                "protocols=tcp", "!", "rtph264depay", "!", "h264parse", "!", "fakesink", "silent=false");
        try {
            Await.until("the viewer plays", Duration.ofSeconds(30), () -> {
                try {
                    return Files.readString(log, StandardCharsets.UTF_8).contains("last-message = chain");
                } catch (IOException e) {
                    return false;
                }
            });
            h.remove(id);
            assertTrue(p.waitFor(12, TimeUnit.SECONDS), "the viewer ended after its camera was removed: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
        Ran after = ffprobe("tcp", url(viewer(), "/" + id + "/main"));
        assertTrue(after.exit() != 0 && after.output().contains("404"), "then 404: " + after);
    }
}
