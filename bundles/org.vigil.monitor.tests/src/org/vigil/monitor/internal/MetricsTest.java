package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatisticsSource;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.monitor.MonitorSettings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Scheduler;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/** {@code vigil metrics} in the Prometheus text format, and the HTTP endpoint (off by default, on 127.0.0.1). */
class MetricsTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*="
                    + "\"(?:[^\"\\\\]|\\\\.)*\")*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

    @InjectService(timeout = 5000)
    SystemMonitor monitor;

    @InjectService(timeout = 5000)
    Scheduler scheduler;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configAdmin;

    @InjectBundleContext
    BundleContext context;

    private VigilCommand metrics() throws Exception {
        for (ServiceReference<VigilCommand> ref : context.getServiceReferences(VigilCommand.class, null)) {
            VigilCommand c = context.getService(ref);
            if (c.name().equals("metrics")) {
                return c;
            }
        }
        throw new AssertionError("vigil metrics is not registered");
    }

    /** Checks the exposition format line by line; returns the sample lines. */
    static List<String> parse(String text) {
        Set<String> typed = new HashSet<>();
        List<String> samples = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                assertTrue(Set.of("gauge", "counter").contains(f[3]), line);
                assertTrue(typed.add(f[2]), "one TYPE per family: " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: '" + line + "'");
            assertTrue(typed.contains(m.group(1)), "a sample before its TYPE: " + line);
            samples.add(line);
        }
        return samples;
    }

    @Test
    void metricsCommandPrintsThePrometheusTextFormat() throws Exception {
        FakeCameras recorder = new FakeCameras();
        Instant now = Instant.now();
        recorder.put(FakeCameras.recording("front", now.minusSeconds(600), now, now.minusSeconds(12)));
        recorder.put(FakeCameras.down("back\"door", CameraState.RECONNECTING, now, now.minusSeconds(5), 3, null));
        ServiceRegistration<CameraStatisticsSource> reg = context.registerService(CameraStatisticsSource.class,
                recorder, null);
        try {
            assertTrue(Await.until(Duration.ofSeconds(8),
                    () -> monitor.current().map(r -> r.cameras().size() == 2).orElse(false)));
            Invocation run = Invocation.run(metrics(), false);
            assertEquals(0, run.exitCode);
            List<String> samples = parse(run.output());
            for (String expected : List.of("vigil_host_cpu_usage_ratio ", "vigil_host_memory_total_bytes ",
                    "vigil_host_load1 ", "vigil_process_resident_memory_bytes ", "vigil_process_threads ",
                    "vigil_process_open_fds ", "vigil_disk_free_bytes{path=\"", "vigil_camera_up{camera=\"front\"} 1",
                    "vigil_camera_up{camera=\"back\\\"door\"} 0", "vigil_camera_frames_per_second{camera=\"front\"} 25",
                    "vigil_camera_reconnects_total{camera=\"back\\\"door\"} 3",
                    "vigil_camera_state{camera=\"front\",state=\"recording\"} 1", "vigil_alerts_active ")) {
                assertTrue(samples.stream().anyMatch(s -> s.startsWith(expected)), expected + " missing in\n"
                        + run.output());
            }
            assertFalse(run.output().contains("vigil_host_temperature_celsius") && monitor.current().orElseThrow()
                    .host().temperatureCelsius().isEmpty(), "no temperature series without a thermal zone");

            Invocation json = Invocation.run(metrics(), true);
            JsonObject o = JsonParser.parseString(json.output()).getAsJsonObject();
            assertTrue(o.getAsJsonObject("host").get("cpus").getAsInt() > 0);
            assertEquals(2, o.getAsJsonArray("cameras").size());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void theHttpServerPackageIsWiredFromTheSystemBundle() {
        Bundle monitorBundle = FrameworkUtil.getBundle(MetricsEndpoint.class);
        BundleWiring wiring = monitorBundle.adapt(BundleWiring.class);
        BundleWire wire = wiring.getRequiredWires("osgi.wiring.package").stream()
                .filter(w -> "com.sun.net.httpserver".equals(w.getCapability().getAttributes().get("osgi.wiring.package")))
                .findFirst().orElseThrow(() -> new AssertionError("com.sun.net.httpserver is not wired"));
        assertEquals(0, wire.getProvider().getBundle().getBundleId(), "exported by the system bundle");
    }

    @Test
    void theEndpointIsOffByDefaultAndBindsToLoopbackOnly() throws Exception {
        MetricsEndpoint off = new MetricsEndpoint(monitor, scheduler, Settings.defaults(MonitorSettings.class));
        assertTrue(off.address().isEmpty(), "off by default");
        off.stop();

        int port = freePort();
        MetricsEndpoint on = new MetricsEndpoint(monitor, scheduler,
                Settings.of(MonitorSettings.class, Map.of("metricsPort", port)));
        try {
            InetAddress bound = on.address().orElseThrow().getAddress();
            assertTrue(bound.isLoopbackAddress(), "bound to " + bound);
            for (InetAddress other : Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                    .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList()) {
                try (Socket s = new Socket(other, port)) {
                    fail("reachable from " + other);
                } catch (IOException expected) {
                    // refused: only this machine can reach it
                }
            }
        } finally {
            on.stop();
            on.stop();
        }
        assertFalse(canConnect(port), "stopped");
    }

    @Test
    void theEndpointServesMetricsOnceConfigured() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(5), () -> monitor.current().isPresent()));
        int port = freePort();
        Configuration settings = configAdmin.getConfiguration(MonitorSettings.PID, "?");
        try {
            settings.update(new Hashtable<>(Map.of("metricsPort", port)));
            assertTrue(Await.until(Duration.ofSeconds(8), () -> canConnect(port)), "listening on " + port);
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics").openConnection();
            assertEquals(200, c.getResponseCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", c.getContentType());
            String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(parse(body).stream().anyMatch(s -> s.startsWith("vigil_host_cpus ")), body);

            HttpURLConnection root = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
            assertEquals(404, root.getResponseCode());
            HttpURLConnection post = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/metrics")
                    .openConnection();
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.getOutputStream().close();
            assertEquals(405, post.getResponseCode());
        } finally {
            settings.delete();
        }
        assertTrue(Await.until(Duration.ofSeconds(8), () -> !canConnect(port)), "off again without the setting");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
