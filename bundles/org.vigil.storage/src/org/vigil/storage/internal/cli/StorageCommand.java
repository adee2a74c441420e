package org.vigil.storage.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.vigil.api.camera.CameraId;
import org.vigil.api.command.Bytes;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JobAwait;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.SettingsService;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageStatus;
import org.vigil.storage.internal.Format;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.RetentionPreview;

/** {@code vigil storage status|check|import|adopt|retention}. */
@Component(service = VigilCommand.class)
public final class StorageCommand implements VigilCommand {
    /** The longest maximum age a camera's retention may be given: beyond it, "no limit" (--clear) is meant. */
    static final Duration LONGEST_AGE = Duration.ofDays(36_500);

    private final StorageService storage;
    private final RecordingCatalog catalog;
    private final Retention retention;
    /** The configured cameras, when the settings service runs: a retention limit for an unknown id is a typo. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SettingsService settings;

    @Activate
    public StorageCommand(@Reference StorageService storage, @Reference RecordingCatalog catalog,
            @Reference Retention retention) {
        this.storage = storage;
        this.catalog = catalog;
        this.retention = retention;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public String summary() {
        return "recordings disk: status, check and repair, import, retention limits";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil storage status [--json]
                  vigil storage check [--repair] [--deep] [--json]
                  vigil storage import DIR [--move] [--json]
                  vigil storage adopt --yes
                  vigil storage retention [--camera ID (--max-age AGE | --max-size SIZE | --clear)... [--yes]] [--json]

                status     where recordings go, whether recording can write, free space, recording rate, retention,
                           what the catalog holds per camera; exits 1 when recording cannot write
                check      compares the catalog with the disk: files without rows are probed (headers only) and
                           catalogued when playable, rows of vanished files removed, interrupted deletions finished,
                           unplayable files moved to .quarantine. Without --repair nothing is changed (exit 1 when
                           something would be). --deep also reads every catalogued recording as playback does and
                           names each damaged one (never moved or deleted; exit 1); about 10,000 files a second
                           from a warm cache, one disk read per fragment from a cold one
                import     catalogues a tree in the old layout DIR/<camera_id>/<YYYYMMDD>/*.mp4: in place when DIR is
                           under the recordings root, else copied in (moved with --move), each file synced before it
                           gets its final name
                adopt      makes the disk now mounted at the recordings root the catalog's volume (after changing
                           the disk on purpose) and repairs the catalog: rows of recordings not on it are removed
                retention  shows the retention limits, or sets a camera's: --max-age 30d, --max-size 500G, --clear.
                           Limits that would delete more than 10 % or more than a day of a camera's recordings
                           are shown (files, size, time range) and applied only with --yes

                Examples:
                  vigil storage check --repair
                  vigil storage import /media/old-nvr/recordings
                  vigil storage retention --camera front --max-age 14d
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        List<String> args = inv.args();
        if (args.isEmpty()) {
            throw CommandException.usage("Say what to do: status, check, import, adopt or retention; see 'vigil storage"
                    + " --help'.");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "status" -> status(inv, rest);
            case "check" -> check(inv, rest);
            case "import" -> importTree(inv, rest);
            case "adopt" -> adopt(inv, rest);
            case "retention" -> retention(inv, rest);
            default -> throw CommandException.usage("Unknown action '" + args.get(0) + "'; use status, check, import,"
                    + " adopt or retention (see 'vigil storage --help').");
        };
    }

    private int status(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("storage status", rest, Set.of(), Set.of("json"));
        StorageStatus s = storage.status();
        RetentionSettings r = retention.settings();
        Map<String, CameraLimits> limits = retention.cameraLimits();
        List<CameraTotals> totals = catalog.totals();
        PrintWriter out = inv.out();
        ZoneId zone = catalog.zone();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(Json.status(storage, retention, catalog)));
            return s.canRecord() ? 0 : 1;
        }
        out.println("Recordings root: " + s.root() + s.volumeId().map(v -> " (volume " + v + ")").orElse(""));
        out.println("State: " + s.state() + (s.canRecord() ? " (recording can write)" : " (recording is paused)"));
        s.reason().ifPresent(why -> out.println("  " + why));
        if (s.space().totalBytes() > 0) {
            out.println("Space: " + Bytes.text(s.space().freeBytes()) + " free of " + Bytes.text(
                    s.space().totalBytes()) + " (" + Format.percent(s.space().freePercent()) + ")"
                    + (s.bytesPerSecond() > 0 ? "; recording " + Bytes.text(s.bytesPerSecond()) + "/s"
                            + s.timeLeft().map(d -> ", about " + Format.duration(d) + " until full").orElse("")
                            : ""));
        }
        out.println("Retention: keep " + Format.percent(r.minFreePercent()) + " free (delete until "
                + Format.percent(r.minFreePercent() + r.hysteresisPercent()) + "), emergency below "
                + Format.duration(r.emergencyWindow()) + " of recording, pause below " + Bytes.text(r.reserveBytes())
                + ", every " + Format.duration(r.period()));
        limits.forEach((cam, l) -> out.println("  " + cam + ": " + describe(l)));
        retention.lastRun().ifPresent(l -> out.println("  last run " + Format.time(l.started(), zone) + ": deleted "
                + l.deleted() + " segments (" + Bytes.text(l.bytesFreed()) + ")" + l.problem().map(p -> "; " + p)
                        .orElse("")));
        long segments = 0;
        long bytes = 0;
        for (CameraTotals t : totals) {
            segments += t.segments();
            bytes += t.bytes();
        }
        out.println("Catalog: " + totals.size() + " cameras, " + segments + " segments, " + Bytes.text(bytes));
        for (CameraTotals t : totals) {
            out.printf(Locale.ROOT, "  %-14s %8d segments %9s  %s .. %s%s%n", t.cameraId(), t.segments(),
                    Bytes.text(t.bytes()), t.oldest().map(o -> Format.time(o, zone)).orElse("-"),
                    t.newest().map(o -> Format.time(o, zone)).orElse("-"),
                    t.protectedSegments() > 0 ? "  (" + t.protectedSegments() + " protected)" : "");
        }
        storage.lastCheck().ifPresent(c -> out.println("Last check: " + c.summary()));
        if (storage instanceof org.vigil.storage.internal.RecordingStore store) {
            org.vigil.storage.internal.Scrubber.Status scrub = store.scrubber().status();
            if (scrub.checked() > 0 || !scrub.damaged().isEmpty()) {
                out.println(scrub.line());
            }
        }
        return s.canRecord() ? 0 : 1;
    }

    private int check(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("storage check", rest, Set.of(), Set.of("repair", "deep", "json"));
        boolean repair = a.flag("repair");
        boolean deep = a.flag("deep");
        boolean json = inv.json() || a.flag("json");
        CheckReport r = runJob(() -> storage.check(repair, deep), inv, json);
        print(inv, r, json);
        // a damaged recording is never repaired away: it keeps the exit code at 1 after --repair too
        boolean damaged = r.details().stream().anyMatch(d -> d.startsWith("the recording ") && d.contains(
                " is damaged: "));
        return (!repair && r.foundProblems()) || damaged ? 1 : 0;
    }

    private int importTree(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("storage import", rest, Set.of(), Set.of("move", "json"));
        String dir = a.require(0, "the folder to import (DIR)", "storage import");
        if (a.positional().size() > 1) {
            throw CommandException.usage("Give one folder to import; see 'vigil storage --help'.");
        }
        boolean json = inv.json() || a.flag("json");
        CheckReport r = runJob(() -> storage.importTree(Path.of(dir).toAbsolutePath(), a.flag("move")), inv, json);
        print(inv, r, json);
        return 0;
    }

    /** A camera the settings name, or one with recordings (retention may be set before a camera is added back). */
    private boolean knownCamera(String cam) {
        SettingsService s = settings;
        try {
            if (s != null && s.camera(cam).isPresent()) {
                return true;
            }
        } catch (org.vigil.api.config.SettingsException e) {
            // the settings cannot be read now: the catalog decides
        }
        return catalog.cameras().contains(cam);
    }

    private int adopt(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("storage adopt", rest, Set.of(), Set.of("yes", "json"));
        if (!java.nio.file.Files.isDirectory(storage.recordingsRoot())) {
            throw new CommandException("There is nothing to adopt: the recordings root " + storage.recordingsRoot()
                    + " does not exist; mount the recordings disk there (or set recording.recordingsRoot), then run"
                    + " 'vigil storage adopt --yes' again.");
        }
        if (!a.flag("yes")) {
            throw CommandException.usage("Adopting makes the disk at " + storage.recordingsRoot() + " the recordings"
                    + " volume and removes the catalog rows of recordings that are not on it; run 'vigil storage adopt"
                    + " --yes' to go ahead.");
        }
        boolean json = inv.json() || a.flag("json");
        CheckReport r = runJob(storage::adoptVolume, inv, json);
        print(inv, r, json);
        return 0;
    }

    private int retention(CommandInvocation inv, List<String> rest) throws CommandException {
        CommandArgs a = CommandArgs.parse("storage retention", rest, Set.of("camera", "max-age", "max-size"),
                Set.of("clear", "json", "yes"));
        boolean json = inv.json() || a.flag("json");
        Optional<String> camera = a.option("camera");
        RetentionPreview preview = null;
        boolean change = a.option("max-age").isPresent() || a.option("max-size").isPresent() || a.flag("clear");
        if (change) {
            String cam = camera.orElseThrow(() -> CommandException.usage("Say which camera's limits to change with"
                    + " --camera ID."));
            if (!CameraId.isValid(cam)) {
                throw CommandException.usage("'" + cam + "' is not a camera id.");
            }
            CameraLimits now = retention.cameraLimits().getOrDefault(cam, CameraLimits.NONE);
            CameraLimits next;
            if (a.flag("clear")) {
                next = CameraLimits.NONE;
            } else {
                Optional<Duration> age = now.maxAge();
                OptionalLong size = now.maxBytes();
                if (a.option("max-age").isPresent()) {
                    age = Optional.of(TimeArgs.duration(a.option("max-age").get()));
                    if (age.get().compareTo(LONGEST_AGE) > 0) {
                        throw CommandException.usage("A maximum age of " + a.option("max-age").get() + " is more than"
                                + " 100 years; give at most 36500d, or --clear to keep recordings without an age limit.");
                    }
                }
                if (a.option("max-size").isPresent()) {
                    size = OptionalLong.of(TimeArgs.size(a.option("max-size").get()));
                }
                try {
                    next = new CameraLimits(age, size);
                } catch (IllegalArgumentException e) {
                    throw CommandException.usage(e.getMessage());
                }
            }
            if (!a.flag("clear") && !knownCamera(cam)) {
                throw new CommandException("Camera '" + cam + "' is not configured and has no recordings; check the id"
                        + " with 'vigil camera list'.");
            }
            if (retention instanceof RecordingStore store) {
                preview = store.previewCameraLimits(cam, next);
                if (preview.large() && !a.flag("yes")) {
                    if (json) {
                        inv.out().println(JsonOutput.write(Map.of("applied", false, "would_delete", preview.data())));
                    } else {
                        inv.out().println("These limits would delete now:");
                        preview.lines().forEach(l -> inv.out().println("  " + l));
                    }
                    throw new CommandException("Nothing was changed: the new limits would delete more than "
                            + Math.round(RetentionPreview.LARGE_SHARE * 100) + " % or more than "
                            + "a day of the recordings of camera " + cam
                            + " (listed above); run the command again with --yes to apply them.");
                }
            }
            retention.setCameraLimits(cam, next);
        }
        Map<String, CameraLimits> limits = retention.cameraLimits();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cameras", Json.limits(limits));
            if (preview != null) {
                m.put("applied", true);
                m.put("deleting", preview.data());
            }
            inv.out().println(JsonOutput.write(m));
            return 0;
        }
        if (preview != null && preview.deletesAnything()) {
            inv.out().println("Retention deletes now:");
            preview.lines().forEach(l -> inv.out().println("  " + l));
        }
        if (limits.isEmpty()) {
            inv.out().println("No camera has its own limits; only the free-space rules apply.");
        }
        limits.forEach((cam, l) -> inv.out().println(cam + ": " + describe(l)));
        return 0;
    }

    private static String describe(CameraLimits l) {
        List<String> parts = new ArrayList<>();
        l.maxAge().ifPresent(d -> parts.add("keep " + Format.duration(d)));
        if (l.maxBytes().isPresent()) {
            parts.add("at most " + Bytes.text(l.maxBytes().getAsLong()));
        }
        return parts.isEmpty() ? "no limits" : String.join(", ", parts);
    }

    @FunctionalInterface
    private interface JobStart {
        org.vigil.api.job.Job<CheckReport> start();
    }

    private static CheckReport runJob(JobStart start, CommandInvocation inv, boolean quiet) throws CommandException {
        org.vigil.api.job.Job<CheckReport> job;
        try {
            job = start.start();
        } catch (IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
        return JobAwait.await(job, inv, quiet ? null : JobAwait::line, () -> JobText.cancelled(job));
    }

    private static void print(CommandInvocation inv, CheckReport r, boolean json) {
        PrintWriter out = inv.out();
        if (json) {
            out.println(JsonOutput.write(Json.check(r)));
            return;
        }
        for (String d : r.details()) {
            out.println("  " + d);
        }
        if (!r.detailsComplete()) {
            out.println("  ... (only the first " + r.details().size() + " changes are listed)");
        }
        out.println(r.summary());
    }
}
