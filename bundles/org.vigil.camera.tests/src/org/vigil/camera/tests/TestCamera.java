package org.vigil.camera.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP camera in a process of its own ({@code testcam/testcam.py}: gst-rtsp-server through python3-gi), so
 * that a test can kill it (SIGKILL), freeze it (SIGSTOP) and restart it on the same port. Mounts: see the script.
 */
final class TestCamera implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final Duration READY = Duration.ofSeconds(20);

    private final Path script;
    private final int port;
    private final List<String> size;
    private Process process;
    private boolean frozen;

    private TestCamera(Path script, int port, List<String> size) {
        this.script = script;
        this.port = port;
        this.size = size;
    }

    /** A camera of {@code width} x {@code height} at {@code fps} with a keyframe every {@code gop} frames. */
    static TestCamera start(Path workDir, int width, int height, int fps, int gop) throws Exception {
        Path script = workDir.resolve("testcam.py");
        URL url = TestCamera.class.getClassLoader().getResource("testcam/testcam.py");
        if (url == null) {
            throw new IllegalStateException("testcam/testcam.py is not in the test bundle");
        }
        Files.createDirectories(workDir);
        try (InputStream in = url.openStream()) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        TestCamera c = new TestCamera(script, freePortPair(),
                List.of(Integer.toString(width), Integer.toString(height), Integer.toString(fps),
                        Integer.toString(gop)));
        c.launch();
        return c;
    }

    String url(String mount) {
        return "rtsp://127.0.0.1:" + port + mount;
    }

    /** The /h264 mount on the port that asks for user 'vigil', password 'secret'. */
    String securedUrl(String userInfo) {
        return "rtsp://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + (port + 1) + "/h264";
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Starts the server process (again) on the same ports; returns once it listens. */
    void launch() throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(PYTHON, script.toString(), Integer.toString(port)));
        cmd.addAll(size);
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("READY") || line.startsWith("FAILED")) {
                            return line;
                        }
                    }
                    return "EXITED";
                } catch (IOException e) {
                    return "EXITED";
                }
            });
            String line;
            try {
                line = first.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                line = "TIMEOUT";
            }
            if (line.startsWith("READY")) {
                process = p;
                frozen = false;
                // keep draining its output so that it never blocks on a full pipe
                CompletableFuture.runAsync(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the process ended
                    }
                });
                return;
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The test camera did not start on port " + port + ": " + line
                        + " (it needs " + PYTHON + " with python3-gi and gir1.2-gst-rtsp-server-1.0)");
            }
            Thread.sleep(200); // the port is still held by the previous process: try again
        }
    }

    /** SIGKILL: the camera disappears at once, its TCP connections are reset by the kernel. */
    void kill() throws IOException, InterruptedException {
        if (process != null) {
            if (frozen) {
                signal("CONT");
            }
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** SIGSTOP: the camera stops answering and sending, its connections stay open (like a frozen camera). */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
        frozen = true;
    }

    void thaw() throws IOException, InterruptedException {
        signal("CONT");
        frozen = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        k.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
    }

    static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p < 65000) {
                try (ServerSocket s2 = new ServerSocket(p + 1)) {
                    return p;
                } catch (IOException e) {
                    // taken: try another
                }
            }
        }
        throw new IOException("no two free ports next to each other");
    }
}
