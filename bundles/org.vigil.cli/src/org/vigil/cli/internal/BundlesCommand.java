package org.vigil.cli.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;

/** {@code vigil bundles}: what is installed, for a technician checking a plugin dropped into {@code plugins/}. */
@Component(service = VigilCommand.class)
public final class BundlesCommand implements VigilCommand {
    private final BundleContext context;

    @Activate
    public BundlesCommand(BundleContext context) {
        this.context = context;
    }

    @Override
    public String name() {
        return "bundles";
    }

    @Override
    public String summary() {
        return "the installed bundles and their states (plugins included)";
    }

    @Override
    public String help() {
        return """
                Usage: vigil bundles [--json]

                Lists every installed bundle with its id, version, state and where it came from
                (bundle/ of the installation, or plugins/ for bundles dropped in by a technician).
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs.parse("bundles", inv.args(), Set.of(), Set.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", b.getBundleId());
            row.put("name", b.getSymbolicName());
            row.put("version", b.getVersion().toString());
            row.put("state", state(b));
            row.put("location", b.getLocation());
            rows.add(row);
        }
        if (inv.json()) {
            inv.out().println(JsonOutput.write(rows));
        } else {
            for (Map<String, Object> r : rows) {
                inv.out().printf("%4s  %-10s %-55s %s%n", r.get("id"), r.get("state"), r.get("name"), r.get("version"));
            }
        }
        return 0;
    }

    static String state(Bundle b) {
        boolean fragment = b.getHeaders().get("Fragment-Host") != null;
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> fragment ? "fragment" : "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }
}
