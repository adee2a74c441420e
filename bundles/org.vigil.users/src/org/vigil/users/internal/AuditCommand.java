package org.vigil.users.internal;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.users.AuditEntry;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.UsersException;


/** {@code vigil audit}: who changed what, when and from where. */
@Component(service = VigilCommand.class)
public final class AuditCommand implements VigilCommand {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final AuditLog log;

    @Activate
    public AuditCommand(@Reference AuditLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "the audit log: who changed what, when and from where";
    }

    @Override
    public String help() {
        return """
                Usage: vigil audit [--since TIME] [--limit N] [--json]

                The changes made to the recorder's users (and, as the network API arrives, to its settings,
                cameras and recordings), oldest first: when, who, from where (an address, or 'local' for this
                machine's command line), what and to what. Entries are only ever added.
                  --since TIME   from this time on (default: the last 7 days); 2026-11-26T10:00, -2h, today ...
                  --limit N      at most N entries (default 1000)

                Examples:
                  vigil audit --since today
                  vigil audit --since -30d --json
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("audit", inv.args(), Set.of("since", "limit"), Set.of("json"));
        if (!a.positional().isEmpty()) {
            throw CommandException.usage("Unexpected argument '" + a.positional().get(0) + "'; see 'vigil audit"
                    + " --help'.");
        }
        ZoneId zone = ZoneId.systemDefault();
        Instant now = Instant.now();
        Instant since = a.option("since").isPresent() ? TimeArgs.parse("since", a.option("since").get(), now, zone)
                : now.minus(java.time.Duration.ofDays(7));
        int limit = 1000;
        if (a.option("limit").isPresent()) {
            try {
                limit = Integer.parseInt(a.option("limit").get().trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100_000) {
                throw CommandException.usage("--limit takes a whole number from 1 to 100000.");
            }
        }
        List<AuditEntry> entries;
        try {
            entries = log.since(since, limit);
        } catch (UsersException e) {
            throw new CommandException(e.getMessage());
        }
        PrintWriter o = inv.out();
        if (inv.json() || a.flag("json")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (AuditEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", e.time());
                m.put("actor", e.actor());
                m.put("from", e.from());
                m.put("action", e.action());
                m.put("target", e.target());
                m.put("detail", e.detail());
                rows.add(m);
            }
            o.println(JsonOutput.write(Map.of("entries", rows)));
        } else if (entries.isEmpty()) {
            o.println("No change since " + WHEN.format(since.atZone(zone)) + ".");
        } else {
            for (AuditEntry e : entries) {
                o.println(WHEN.format(e.time().atZone(zone)) + "  " + e.actor() + " (" + e.from() + ")  "
                        + e.action() + " " + e.target() + (e.detail().isEmpty() ? "" : "  " + e.detail()));
            }
        }
        o.flush();
        return 0;
    }
}
