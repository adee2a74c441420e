package org.vigil.storage.internal.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraId;
import org.vigil.api.command.Bytes;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JobAwait;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.job.Job;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StorageService;
import org.vigil.storage.internal.Format;

/** {@code vigil recordings list|days|hours|delete|protect|unprotect}. */
@Component(service = VigilCommand.class)
public final class RecordingsCommand implements VigilCommand {
    private static final Instant BEGINNING = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant END = Instant.parse("9999-12-31T00:00:00Z");

    private final RecordingCatalog catalog;
    private final StorageService storage;

    @Activate
    public RecordingsCommand(@Reference RecordingCatalog catalog, @Reference StorageService storage) {
        this.catalog = catalog;
        this.storage = storage;
    }

    @Override
    public String name() {
        return "recordings";
    }

    @Override
    public String summary() {
        return "list, delete and protect recordings (list, days, hours, delete, protect, unprotect)";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil recordings list [--camera ID]... [--from TIME] [--to TIME] [--limit N] [--after CURSOR]
                                        [--newest-first] [--json]
                  vigil recordings days [--camera ID]... [--json]
                  vigil recordings hours --camera ID [--day DATE | --from TIME --to TIME] [--json]
                  vigil recordings delete (--camera ID... | --all-cameras) --from TIME --to TIME [--dry-run] [--json]
                  vigil recordings protect (--camera ID... | --all-cameras) --from TIME --to TIME
                  vigil recordings unprotect (--camera ID... | --all-cameras) --from TIME --to TIME

                list       segments overlapping the time range, a page at a time (default 100); the last line gives
                           the --after cursor of the next page
                days       days that have recordings, with their segment count, size and duration
                hours      per-hour coverage and gaps of one camera (a day, by default today)
                delete     deletes every unprotected segment overlapping the range, as a job; --dry-run lists what
                           would go. Protected segments are kept and counted.
                protect    exempts segments overlapping the range from retention and deletion; unprotect lifts it

                TIME is local ISO-8601 (2026-11-26T10:00, 2026-11-26 for midnight), relative to now (-2h, -30m,
                -7d, -1w), now, today or yesterday (midnight); every vigil command reads times this way. --day takes
                a date, today, yesterday or -2d.

                Examples:
                  vigil recordings list --camera front --from -2h
                  vigil recordings delete --camera front --from 2026-11-20 --to 2026-11-21 --dry-run
                  vigil recordings protect --camera front --from 2026-11-26T10:00 --to 2026-11-26T10:30
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            throw CommandException.usage("Say what to do: list, days, hours, delete, protect or unprotect; see"
                    + " 'vigil recordings --help'.");
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (sub) {
            case "list" -> list(inv, rest);
            case "days" -> days(inv, rest);
            case "hours" -> hours(inv, rest);
            case "delete" -> delete(inv, rest);
            case "protect" -> protect(inv, rest, true);
            case "unprotect" -> protect(inv, rest, false);
            default -> throw CommandException.usage("Unknown action '" + sub + "'; use list, days, hours, delete,"
                    + " protect or unprotect (see 'vigil recordings --help').");
        };
    }

    private int list(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("recordings list", rest,
                Set.of("camera", "from", "to", "limit", "after"), Set.of("newest-first", "json"));
        Instant now = Instant.now();
        Set<String> cameras = cameras(a);
        Instant from = a.option("from").isPresent() ? time("from", a.option("from").get(), now) : BEGINNING;
        Instant to = a.option("to").isPresent() ? time("to", a.option("to").get(), now) : END;
        int limit = SegmentQuery.DEFAULT_LIMIT;
        if (a.option("limit").isPresent()) {
            try {
                limit = Integer.parseInt(a.option("limit").get().trim());
            } catch (NumberFormatException e) {
                throw CommandException.usage("--limit takes a whole number of segments (1 to "
                        + SegmentQuery.MAX_LIMIT + ").");
            }
        }
        if (limit < 1 || limit > SegmentQuery.MAX_LIMIT) {
            throw CommandException.usage("--limit takes 1 to " + SegmentQuery.MAX_LIMIT + " segments.");
        }
        Optional<PageCursor> after = Optional.empty();
        if (a.option("after").isPresent()) {
            after = PageCursor.parse(a.option("after").get());
            if (after.isEmpty()) {
                throw CommandException.usage("The cursor '" + a.option("after").get() + "' is not one 'vigil recordings"
                        + " list' printed.");
            }
        }
        if (!from.isBefore(to)) {
            throw CommandException.usage("--from must be before --to.");
        }
        SegmentQuery q = new SegmentQuery(cameras, from, to, limit, after, a.flag("newest-first"));
        Page<Segment> page = catalog.segments(q);
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("segments", Json.segments(page.items()));
            m.put("next", page.next().map(PageCursor::token).orElse(null));
            out.println(JsonOutput.write(m));
            return 0;
        }
        ZoneId zone = catalog.zone();
        if (page.items().isEmpty()) {
            out.println(after.isPresent() ? "No more recordings." : "No recordings in that range.");
            return 0;
        }
        out.printf(Locale.ROOT, "%-8s %-12s %-19s  %-19s  %9s %9s  %-9s %s%n", "ID", "CAMERA", "START", "END",
                "DURATION", "SIZE", "STATE", "FILE");
        for (Segment s : page.items()) {
            out.printf(Locale.ROOT, "%-8d %-12s %-19s  %-19s  %9s %9s  %-9s %s%n", s.id(), s.cameraId(),
                    Format.time(s.start(), zone), Format.time(s.end(), zone), Format.duration(s.duration()),
                    Bytes.text(s.bytes()), s.state().name().toLowerCase(Locale.ROOT) + (s.isProtected() ? "*" : ""),
                    s.relativePath());
        }
        if (page.next().isPresent()) {
            out.println("More: add --after " + page.next().get().token());
        }
        if (page.items().stream().anyMatch(Segment::isProtected)) {
            out.println("* protected");
        }
        return 0;
    }

    private int days(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("recordings days", rest, Set.of("camera"), Set.of("json"));
        List<DayCoverage> days = catalog.days(cameras(a));
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(Json.days(days)));
            return 0;
        }
        if (days.isEmpty()) {
            out.println("No recordings.");
            return 0;
        }
        out.printf(Locale.ROOT, "%-10s  %9s  %9s  %9s%n", "DAY", "SEGMENTS", "SIZE", "RECORDED");
        for (DayCoverage d : days) {
            out.printf(Locale.ROOT, "%-10s  %9d  %9s  %9s%n", d.day(), d.segments(), Bytes.text(d.bytes()),
                    Format.duration(d.recorded()));
        }
        return 0;
    }

    private int hours(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("recordings hours", rest, Set.of("camera", "day", "from", "to"),
                Set.of("json"));
        String camera = a.option("camera").orElseThrow(() -> CommandException.usage(
                "Say which camera with --camera ID; see 'vigil recordings --help'."));
        requireCamera(camera);
        ZoneId zone = catalog.zone();
        Instant now = Instant.now();
        Instant from;
        Instant to;
        if (a.option("from").isPresent() || a.option("to").isPresent()) {
            from = time("from", a.option("from").orElseThrow(() -> CommandException.usage("--to needs --from.")),
                    now);
            to = a.option("to").isPresent() ? time("to", a.option("to").get(), now) : now;
        } else {
            LocalDate day = a.option("day").isPresent() ? TimeArgs.day("day", a.option("day").get(), now, zone)
                    : LocalDate.ofInstant(now, zone);
            from = day.atStartOfDay(zone).toInstant();
            to = day.plusDays(1).atStartOfDay(zone).toInstant();
        }
        if (!from.isBefore(to)) {
            throw CommandException.usage("--from must be before --to.");
        }
        List<HourCoverage> hours;
        try {
            hours = catalog.hours(camera, from, to);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(Json.hours(camera, hours)));
            return 0;
        }
        for (HourCoverage h : hours) {
            int bar = (int) Math.round(h.fraction() * 20);
            StringBuilder gaps = new StringBuilder();
            for (Gap g : h.gaps()) {
                if (gaps.length() > 60) {
                    gaps.append(" ...");
                    break;
                }
                gaps.append(gaps.length() == 0 ? "gaps " : ", ").append(Format.time(g.start(), zone).substring(11))
                        .append("-").append(Format.time(g.end(), zone).substring(11));
            }
            out.printf(Locale.ROOT, "%s  [%-20s] %5.1f %%  %s%n", Format.time(h.start(), zone).substring(0, 16),
                    "#".repeat(bar), h.fraction() * 100, h.fraction() >= 0.999 ? "" : gaps);
        }
        return 0;
    }

    private int delete(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("recordings delete", rest, Set.of("camera", "from", "to"),
                Set.of("all-cameras", "dry-run", "json"));
        SegmentSelection sel = selection(a, "recordings delete");
        boolean dry = a.flag("dry-run");
        Job<DeletionReport> job = storage.delete(new DeletionRequest(sel, dry));
        DeletionReport r = JobAwait.await(job, inv, inv.json() || a.flag("json") ? null : JobAwait::line,
                () -> JobText.cancelled(job));
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(Json.deletion(r)));
            return 0;
        }
        ZoneId zone = catalog.zone();
        if (dry) {
            for (Segment s : r.listed()) {
                out.printf(Locale.ROOT, "would delete %s  %s .. %s  %s%n", s.relativePath(),
                        Format.time(s.start(), zone), Format.time(s.end(), zone), Bytes.text(s.bytes()));
            }
            if (!r.listComplete()) {
                out.println("... and more (only the first " + r.listed().size() + " are listed)");
            }
            out.println("Dry run: " + r.segments() + " segments (" + Bytes.text(r.bytes()) + ") would be deleted"
                    + (r.protectedKept() > 0 ? "; " + r.protectedKept() + " protected segments would be kept" : "")
                    + ". Nothing was deleted.");
        } else {
            out.println("Deleted " + r.segments() + " segments (" + Bytes.text(r.bytes()) + ")"
                    + r.first().map(f -> " recorded from " + Format.time(f, zone)).orElse("")
                    + r.last().map(l -> " to " + Format.time(l, zone)).orElse("")
                    + (r.protectedKept() > 0 ? "; kept " + r.protectedKept() + " protected segments" : "") + ".");
        }
        return 0;
    }

    private int protect(CommandInvocation inv, List<String> rest, boolean protect) throws CommandException {
        String cmd = protect ? "recordings protect" : "recordings unprotect";
        CommandArgs a = CommandArgs.parse(cmd, rest, Set.of("camera", "from", "to"), Set.of("all-cameras", "json"));
        SegmentSelection sel = selection(a, cmd);
        int n = storage.setProtected(sel, protect);
        if (inv.json() || a.flag("json")) {
            inv.out().println(JsonOutput.write(Json.protection(protect, n)));
        } else {
            inv.out().println((protect ? "Protected " : "Unprotected ") + n + " segments"
                    + (n == 0 ? " (none in that range " + (protect ? "needed protecting" : "was protected") + ")" : "")
                    + ".");
        }
        return 0;
    }

    private SegmentSelection selection(CommandArgs a, String cmd) throws CommandException {
        Set<String> cameras = cameras(a);
        if (cameras.isEmpty() && !a.flag("all-cameras")) {
            throw CommandException.usage("Say which cameras with --camera ID (repeatable) or --all-cameras; see 'vigil "
                    + cmd + " --help'.");
        }
        if (!cameras.isEmpty() && a.flag("all-cameras")) {
            throw CommandException.usage("Give either --camera or --all-cameras, not both.");
        }
        Instant now = Instant.now();
        Instant from = time("from", a.option("from").orElseThrow(() -> CommandException.usage(
                "Say from when with --from TIME (such as 2026-11-26T10:00 or -2h); see 'vigil " + cmd + " --help'.")),
                now);
        Instant to = time("to", a.option("to").orElseThrow(() -> CommandException.usage(
                "Say until when with --to TIME (such as 2026-11-26T11:00 or now); see 'vigil " + cmd + " --help'.")),
                now);
        if (!from.isBefore(to)) {
            throw CommandException.usage("--from (" + a.option("from").get() + ") must be before --to ("
                    + a.option("to").get() + ").");
        }
        return new SegmentSelection(cameras, from, to);
    }

    private static Set<String> cameras(CommandArgs a) throws CommandException {
        Set<String> cameras = new LinkedHashSet<>();
        for (String c : a.options("camera")) {
            for (String one : c.split(",")) {
                if (!one.isBlank()) {
                    requireCamera(one.trim());
                    cameras.add(one.trim());
                }
            }
        }
        return cameras;
    }

    private static void requireCamera(String camera) throws CommandException {
        if (!CameraId.isValid(camera)) {
            throw CommandException.usage("'" + camera + "' is not a camera id: ids use 1 to 64 characters of a-z, 0-9,"
                    + " '_' and '-'.");
        }
    }

    private Instant time(String option, String text, Instant now) throws CommandException {
        return TimeArgs.parse(option, text, now, catalog.zone());
    }
}
