package org.vigil.monitor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.Readings;

/**
 * The monitor's data as {@code vigil status --json} and {@code vigil metrics} give it, for the HTTPS API
 * ({@code org.vigil.monitor.internal.web}): one place builds both.
 */
public final class MonitorData {
    /** The Prometheus text format's content type (version 0.0.4). */
    public static final String PROMETHEUS_CONTENT_TYPE = PrometheusText.CONTENT_TYPE;

    private MonitorData() {
    }

    /** The readings and active alerts in the Prometheus text format, as {@code vigil metrics} prints them. */
    public static String prometheus(Readings r, List<Alert> alerts) {
        return PrometheusText.render(r, alerts);
    }

    /** The active alerts as the {@code alerts} section of {@code vigil status --json}: kind, subject, raised, message. */
    public static List<Object> activeAlerts(List<Alert> alerts) {
        Object active = StatusText.alertData(alerts).get("active");
        return active instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    /** An alert raised or cleared, with the fields of an active alert plus its event type, time and sentence. */
    public static Map<String, Object> event(AlertEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type().name().toLowerCase(Locale.ROOT));
        m.put("kind", e.alert().kind().name().toLowerCase(Locale.ROOT));
        m.put("subject", e.alert().subject());
        m.put("raised", e.alert().raised().toString());
        m.put("time", e.time().toString());
        m.put("message", e.message());
        return m;
    }
}
