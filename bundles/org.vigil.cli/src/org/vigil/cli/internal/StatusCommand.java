package org.vigil.cli.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.StatusSection;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.platform.DataDirectory;

/**
 * {@code vigil status}: this instance (PID, uptime, version, bundles) and every {@link StatusSection} other bundles
 * contribute. Exit code 1 when a section is alerting. (With no instance running, the launcher answers itself.)
 */
@Component(service = VigilCommand.class)
public final class StatusCommand implements VigilCommand {
    private final BundleContext context;
    private final DataDirectory data;
    private final List<Ordered> sections = new CopyOnWriteArrayList<>();

    /** A section with its {@value StatusSection#ORDER_PROPERTY}. */
    private record Ordered(StatusSection section, int order) {
    }

    @Activate
    public StatusCommand(BundleContext context, @Reference DataDirectory data) {
        this.context = context;
        this.data = data;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSection(StatusSection section, Map<String, Object> properties) {
        Object order = properties.get(StatusSection.ORDER_PROPERTY);
        int o = order instanceof Number n ? n.intValue() : order == null ? 50 : parse(order.toString());
        sections.add(new Ordered(section, o));
    }

    void removeSection(StatusSection section) {
        sections.removeIf(o -> o.section() == section);
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 50;
        }
    }

    /** The sections, by their order property. */
    private List<StatusSection> sections() {
        List<Ordered> sorted = new ArrayList<>(sections);
        sorted.sort(java.util.Comparator.comparingInt(Ordered::order));
        return sorted.stream().map(Ordered::section).toList();
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "whether Vigil runs on this data directory, and its state (exit 1 on alerts, 3 when none runs)";
    }

    @Override
    public String help() {
        return """
                Usage: vigil status [--json] [--data DIR]

                Says whether a Vigil instance runs on the data directory: its PID, uptime, version and bundles,
                then what the installed bundles report (cameras, disk, host, alerts).
                Exit code: 0 all well, 1 when an alert is active, 3 when no instance runs.
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs.parse("status", inv.args(), java.util.Set.of(), java.util.Set.of());
        long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        List<String> active = new ArrayList<>();
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get("Fragment-Host") != null;
            if (b.getState() == Bundle.ACTIVE) {
                active.add(b.getSymbolicName() + " " + b.getVersion());
            } else if (!fragment) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " (" + state(b.getState()) + ")");
            }
        }
        String version = String.valueOf(context.getProperty("vigil.version"));
        List<StatusSection> sections = sections();
        boolean alerting = sections.stream().anyMatch(StatusSection::alerting);
        if (inv.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("running", true);
            json.put("pid", ProcessHandle.current().pid());
            json.put("uptime_seconds", uptimeMs / 1000);
            json.put("started", Instant.now().minusMillis(uptimeMs).toString());
            json.put("version", version);
            json.put("data", data.root().toString());
            json.put("mode", String.valueOf(context.getProperty("vigil.mode")));
            json.put("bundles_active", active);
            json.put("bundles_not_active", notActive);
            for (StatusSection s : sections) {
                json.put(s.name(), s.data());
            }
            json.put("alerting", alerting);
            inv.out().println(JsonOutput.write(json));
        } else {
            inv.out().printf("Vigil %s runs on %s (PID %d, up %s).%n", version, data.root(), ProcessHandle.current().pid(),
                    human(Duration.ofMillis(uptimeMs)));
            inv.out().printf("Bundles: %d active%s%n", active.size(),
                    notActive.isEmpty() ? "" : ", not active: " + String.join(", ", notActive));
            for (StatusSection s : sections) {
                inv.out().println();
                s.lines().forEach(inv.out()::println);
            }
        }
        return alerting ? 1 : 0;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86400) + " d " + (s % 86400 / 3600) + " h";
    }

    private static String state(int s) {
        return switch (s) {
            case Bundle.INSTALLED -> "installed, not resolved";
            case Bundle.RESOLVED -> "resolved, not started";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "state " + s;
        };
    }
}
