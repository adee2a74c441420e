package org.vigil.monitor.internal.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.command.StatusSection;
import org.vigil.api.users.Role;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.WebApi;

/**
 * {@code GET /api/health}: what {@code vigil status --json} says about the recorder (PID, uptime, version, mode)
 * and every {@link StatusSection} the installed bundles contribute (cameras, disk, host, alerts, settings,
 * retention...), under the same names, and {@code alerting}. Viewer role. Always 200: {@code alerting} says whether
 * something needs attention (a monitoring system reads it).
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/health",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class HealthServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    private final transient BundleContext context;
    private final transient List<Ordered> sections = new CopyOnWriteArrayList<>();

    /** A section with its {@value StatusSection#ORDER_PROPERTY}, as {@code vigil status} orders them. */
    private record Ordered(StatusSection section, int order) {
    }

    @Activate
    public HealthServlet(BundleContext context) {
        this.context = context;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSection(StatusSection section, Map<String, Object> properties) {
        Object order = properties.get(StatusSection.ORDER_PROPERTY);
        int o = 50;
        if (order instanceof Number n) {
            o = n.intValue();
        } else if (order != null) {
            try {
                o = Integer.parseInt(order.toString().trim());
            } catch (NumberFormatException e) {
                // the default order
            }
        }
        sections.add(new Ordered(section, o));
    }

    void removeSection(StatusSection section) {
        sections.removeIf(o -> o.section() == section);
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        if (!r.parts().isEmpty()) {
            throw ApiException.notFound("There is no endpoint at " + ApiRequest.shown(r.path()) + "; the health is"
                    + " at /api/health.");
        }
        long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        List<Ordered> sorted = new ArrayList<>(sections);
        sorted.sort(Comparator.comparingInt(Ordered::order));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", true);
        m.put("pid", ProcessHandle.current().pid());
        m.put("uptime_seconds", uptimeMs / 1000);
        m.put("started", Instant.now().minusMillis(uptimeMs).toString());
        m.put("version", String.valueOf(context.getProperty("vigil.version")));
        m.put("mode", String.valueOf(context.getProperty("vigil.mode")));
        boolean alerting = false;
        for (Ordered o : sorted) {
            m.put(o.section().name(), o.section().data());
            alerting |= o.section().alerting();
        }
        m.put("alerting", alerting);
        r.json(200, m);
    }
}
