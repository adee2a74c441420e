package org.vigil.monitor.internal.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.users.Role;
import org.vigil.monitor.internal.MonitorData;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

/**
 * {@code GET /metrics}: the monitor's newest readings in the Prometheus text format 0.0.4, what {@code vigil metrics}
 * prints (host, disk, process, cameras, alerts; {@code vigil_*} names), over the recorder's HTTPS with its users:
 * the viewer role, given by Prometheus as {@code basic_auth} in its scrape configuration. 503 until the first
 * readings (a second after start).
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/metrics",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class MetricsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient SystemMonitor monitor;

    @Activate
    public MetricsServlet(@Reference SystemMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        Optional<Readings> readings = monitor.current();
        if (readings.isEmpty()) {
            r.response().setHeader("Retry-After", "2");
            throw new ApiException(503, "The system monitor has no readings yet; try again in a few seconds.");
        }
        byte[] body = MonitorData.prometheus(readings.get(), monitor.activeAlerts()).getBytes(StandardCharsets.UTF_8);
        r.response().setStatus(200);
        r.response().setContentType(MonitorData.PROMETHEUS_CONTENT_TYPE);
        r.response().setHeader("Cache-Control", "no-store");
        r.response().setContentLength(body.length);
        if (!r.bodyless()) {
            try (OutputStream out = r.response().getOutputStream()) {
                out.write(body);
            }
        }
    }
}
