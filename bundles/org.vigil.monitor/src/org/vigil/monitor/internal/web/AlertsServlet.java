package org.vigil.monitor.internal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.users.Role;
import org.vigil.monitor.internal.MonitorData;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

/**
 * {@code GET /api/alerts}: the active alerts, as the {@code alerts} section of {@code vigil status --json}, and the
 * newest alert events (raised and cleared, oldest first; {@code ?limit=} keeps the newest N, default 100). Viewer.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/alerts",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class AlertsServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient SystemMonitor monitor;

    @Activate
    public AlertsServlet(@Reference SystemMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        if (!r.parts().isEmpty()) {
            throw ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path()) + "; the alerts are"
                    + " at /api/alerts.");
        }
        int limit = (int) r.longParam("limit", 100, 0, 1000);
        List<AlertEvent> events = monitor.recentAlertEvents();
        List<Object> recent = new ArrayList<>();
        for (AlertEvent e : events.subList(Math.max(0, events.size() - limit), events.size())) {
            recent.add(MonitorData.event(e));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", MonitorData.activeAlerts(monitor.activeAlerts()));
        m.put("recent", recent);
        r.json(200, m);
    }
}
