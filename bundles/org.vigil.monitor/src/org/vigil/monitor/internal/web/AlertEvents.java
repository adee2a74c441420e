package org.vigil.monitor.internal.web;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Registration;
import org.vigil.monitor.internal.MonitorData;
import org.vigil.web.api.WebEvents;

/**
 * Publishes every alert raised or cleared to the recorder's event stream ({@code /api/events}) as {@code alert},
 * with the fields of {@code GET /api/alerts}' {@code recent} entries. Active only while the event stream exists (its
 * {@link WebEvents} service is a mandatory reference).
 */
@Component(immediate = true)
public final class AlertEvents {
    static final String TYPE = "alert";

    private final Registration listening;

    @Activate
    public AlertEvents(@Reference SystemMonitor monitor, @Reference WebEvents events) {
        listening = monitor.addAlertListener(e -> events.publish(TYPE, MonitorData.event(e)));
    }

    @Deactivate
    void stop() {
        listening.close();
    }
}
