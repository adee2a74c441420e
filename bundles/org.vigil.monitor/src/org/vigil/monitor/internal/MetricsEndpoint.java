package org.vigil.monitor.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.monitor.MonitorSettings;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Scheduler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on {@code metricsAddress:metricsPort} of PID
 * {@value MonitorSettings#PID}: off by default (port 0), bound to 127.0.0.1 unless configured otherwise. Requests
 * are answered on the shared scheduler; the JDK's server keeps one dispatcher thread of its own while it runs.
 * The import of {@code com.sun.net.httpserver} is optional: on a runtime without the {@code jdk.httpserver} module
 * only this component fails, never the monitor.
 */
@Component(configurationPid = MonitorSettings.PID)
public final class MetricsEndpoint {
    private static final Logger LOG = System.getLogger(MetricsEndpoint.class.getName());

    private final SystemMonitor monitor;
    private final Scheduler scheduler;
    private HttpServer server;
    private String boundTo = "";

    @Activate
    public MetricsEndpoint(@Reference SystemMonitor monitor, @Reference Scheduler scheduler, MonitorSettings settings) {
        this.monitor = monitor;
        this.scheduler = scheduler;
        apply(settings);
    }

    @Modified
    synchronized void apply(MonitorSettings settings) {
        int port = settings.metricsPort();
        String address = settings.metricsAddress() == null || settings.metricsAddress().isBlank() ? "127.0.0.1"
                : settings.metricsAddress().trim();
        String wanted = port > 0 ? address + ":" + port : "";
        if (wanted.equals(boundTo)) {
            return;
        }
        stop();
        if (port <= 0) {
            return;
        }
        if (port > 65535) {
            LOG.log(Level.WARNING, "The metrics port {0} is not a TCP port (1 to 65535); the metrics endpoint stays off.",
                    port);
            return;
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
            s.createContext("/", this::handle);
            s.setExecutor(task -> scheduler.execute("metrics request", task));
            s.start();
            server = s;
            boundTo = wanted;
            LOG.log(Level.INFO, "Metrics are served at http://{0}/metrics", wanted);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "The metrics endpoint cannot listen on {0} ({1}); choose another metricsPort for {2}.",
                    wanted, e.getMessage(), MonitorSettings.PID);
        }
    }

    /** Where the endpoint listens, for tests; empty while it is off. */
    synchronized Optional<InetSocketAddress> address() {
        return server == null ? Optional.empty() : Optional.of(server.getAddress());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/metrics/")) {
                reply(exchange, 404, "text/plain; charset=utf-8", "Vigil serves its metrics at /metrics.\n", method);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "Only GET and HEAD are allowed.\n", method);
                return;
            }
            Optional<Readings> r = monitor.current();
            if (r.isEmpty()) {
                reply(exchange, 503, "text/plain; charset=utf-8", "No readings yet; try again in a few seconds.\n",
                        method);
                return;
            }
            reply(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(r.get(), monitor.activeAlerts()),
                    method);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body, String method)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops the server (idempotent, never throws). */
    @Deactivate
    synchronized void stop() {
        if (server != null) {
            try {
                server.stop(0);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Stopping the metrics endpoint: {0}", e.toString());
            }
            server = null;
            boundTo = "";
        }
    }
}
