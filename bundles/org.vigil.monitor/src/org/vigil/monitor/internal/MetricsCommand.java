package org.vigil.monitor.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;

/** {@code vigil metrics}: the monitor's newest readings in the Prometheus text format, or as JSON. */
@Component(service = VigilCommand.class)
public final class MetricsCommand implements VigilCommand {
    /** How long the command waits for the first readings of a framework that has just started. */
    static final long FIRST_READING_WAIT_MS = 3000;

    private final SystemMonitor monitor;

    @Activate
    public MetricsCommand(@Reference SystemMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public String summary() {
        return "host, disk, process and camera readings in the Prometheus text format";
    }

    @Override
    public String help() {
        return """
                Usage: vigil metrics [--json]

                Prints the system monitor's newest readings (taken every 2 s) in the Prometheus text format:
                host CPU, memory, load, temperature and throttling; the recordings volume; Vigil's memory,
                threads and open files; each camera's state, frame rate, bitrate, newest frame and segment and
                reconnects; the active alerts. With --json, the same readings as JSON.

                The same text is served over HTTP at http://127.0.0.1:<port>/metrics when the setting
                metricsPort of org.vigil.monitor is not 0 (it is off by default).
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs.parse("metrics", inv.args(), Set.of(), Set.of());
        Readings r = await().orElseThrow(() -> new CommandException("The system monitor has no readings yet; try"
                + " again in a few seconds."));
        List<Alert> alerts = monitor.activeAlerts();
        if (inv.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("time", r.time().toString());
            json.put("host", StatusText.hostData(r));
            json.put("disk", StatusText.diskData(r));
            json.put("cameras", StatusText.cameraData(r, alerts).get("cameras"));
            json.put("alerts", StatusText.alertData(alerts).get("active"));
            inv.out().println(JsonOutput.write(json));
        } else {
            inv.out().print(PrometheusText.render(r, alerts));
        }
        inv.out().flush();
        return 0;
    }

    private Optional<Readings> await() {
        long deadline = System.nanoTime() + FIRST_READING_WAIT_MS * 1_000_000;
        Optional<Readings> r = monitor.current();
        while (r.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = monitor.current();
        }
        return r;
    }
}
