package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder under a {@code Type=notify} unit with {@code WatchdogSec} (issue 16): with systemd's environment
 * ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}, {@code WATCHDOG_PID}) it says READY=1 once started, pings WATCHDOG=1
 * while its health loop runs and says STOPPING=1 on SIGTERM. systemd is not PID 1 here: a Python stand-in binds the
 * notification socket (a datagram socket, which systemd reads the same way) and prints what arrives.
 */
class SystemdNotifyTest {
    @TempDir
    Path temp;

    @Test
    void readyWatchdogAndStoppingReachTheNotificationSocket() throws Exception {
        Path script = temp.resolve("notify_socket.py");
        try (InputStream in = SystemdNotifyTest.class.getResourceAsStream("/notify_socket.py")) {
            Files.copy(in, script);
        }
        Path socket = temp.resolve("notify.sock");
        Path heard = temp.resolve("heard.txt");
        Process listener = new ProcessBuilder("python3", script.toString(), socket.toString())
                .redirectErrorStream(true).redirectOutput(heard.toFile()).start();
        Process vigil = null;
        try {
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> Vigil.read(heard).contains("LISTENING")),
                    "the stand-in socket: " + Vigil.read(heard));
            Path log = temp.resolve("vigil.out");
            ProcessBuilder pb = new ProcessBuilder(Vigil.BIN.toString(), "run", "--headless", "--data",
                    temp.resolve("data").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().remove("VIGIL_DATA");
            pb.environment().put("NOTIFY_SOCKET", socket.toString());
            pb.environment().put("WATCHDOG_USEC", "3000000"); // 3 s: a ping every second
            vigil = pb.start();
            Process v = vigil;
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(heard).contains("READY=1")
                    || !v.isAlive()), "no READY=1: " + Vigil.read(heard) + "\n" + Vigil.read(log));
            String ready = Vigil.read(heard).lines().filter(l -> l.contains("READY=1")).findFirst().orElseThrow();
            assertTrue(ready.contains("MAINPID=" + vigil.pid()), "the main PID is the java process: " + ready);
            // the launcher says "is ready" in its log as it sends READY=1: the line may land a moment after
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> Vigil.read(log).contains(" is ready in ")),
                    "READY=1 once Vigil says it is ready: " + Vigil.read(log));
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> count(Vigil.read(heard), "WATCHDOG=1") >= 3),
                    "the watchdog is pinged while the health loop runs: " + Vigil.read(heard));

            Vigil.sigterm(vigil);
            assertTrue(vigil.waitFor(60, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(0, vigil.exitValue(), Vigil.read(log));
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(10), () -> Vigil.read(heard).contains("STOPPING=1")),
                    "STOPPING=1 on the way down: " + Vigil.read(heard));
            List<String> order = Vigil.read(heard).lines().filter(l -> !l.equals("LISTENING")).toList();
            assertTrue(order.get(0).contains("READY=1"), "READY first: " + order);
            assertTrue(order.get(order.size() - 1).contains("STOPPING=1"), "STOPPING last: " + order);
        } finally {
            if (vigil != null && vigil.isAlive()) {
                vigil.destroyForcibly();
            }
            listener.destroy();
            listener.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
