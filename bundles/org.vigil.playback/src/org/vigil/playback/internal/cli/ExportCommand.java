package org.vigil.playback.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.storage.RecordingCatalog;

/** {@code vigil export --camera ID --from TIME --to TIME --out FILE}: a clip without re-encoding. */
@Component(service = VigilCommand.class)
public final class ExportCommand implements VigilCommand {
    private final PlaybackService playback;
    private final RecordingCatalog catalog;

    @Activate
    public ExportCommand(@Reference PlaybackService playback, @Reference RecordingCatalog catalog) {
        this.playback = playback;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "export a clip of recordings to one MP4 file without re-encoding";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil export --camera ID --from TIME --to TIME --out FILE [--overwrite] [--json]

                Copies the recordings of a camera over the time range, across as many segment files as it spans,
                into one file without re-encoding: MP4 for H.264 and H.265 cameras, Matroska for MJPEG. The clip
                starts at the keyframe at or before --from (at most one GOP early) and ends before --to; stretches
                without recording are left out and listed. The file appears only when complete; Ctrl-C leaves
                nothing behind. Progress goes to standard error.

                TIME is local ISO-8601 (2026-11-26T10:00, 2026-11-26T10:00:30), relative to now (-2h, -30m, -90s),
                now, today or yesterday. A relative FILE is relative to the current directory.

                Examples:
                  vigil export --camera front --from 2026-11-26T10:00 --to 2026-11-26T10:05 --out front.mp4
                  vigil export --camera front --from -10m --to now --out last10min.mp4
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("export", inv.args(), Set.of("camera", "from", "to", "out"),
                Set.of("overwrite", "json"));
        if (!a.positional().isEmpty()) {
            throw CommandException.usage("Unexpected argument '" + a.positional().get(0) + "'; see 'vigil export"
                    + " --help'.");
        }
        String camera = require(a, "camera");
        if (!CameraId.isValid(camera)) {
            throw new CommandException("Camera id '" + camera + "' is not valid: use 1 to 64 characters of a-z, 0-9,"
                    + " '_' and '-'.");
        }
        Instant now = Instant.now();
        Instant from = TimeArgs.parse("from", require(a, "from"), now, catalog.zone());
        Instant to = TimeArgs.parse("to", require(a, "to"), now, catalog.zone());
        if (!from.isBefore(to)) {
            throw CommandException.usage("--from must be before --to.");
        }
        Path out = inv.resolvePath(require(a, "out"));
        Job<ExportReport> job;
        try {
            job = playback.export(new ExportRequest(camera, from, to, out, a.flag("overwrite")));
        } catch (PlaybackException e) {
            throw new CommandException(e.getMessage());
        }
        ExportReport r = JobAwait.await(job, inv, inv.json() ? null : JobAwait::line,
                () -> "The export was cancelled; nothing was left behind.");
        PrintWriter o = inv.out();
        if (inv.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", r.cameraId());
            m.put("file", r.file().toString());
            m.put("first_frame", r.firstFrame().toString());
            m.put("end", r.end().toString());
            m.put("duration_ms", r.duration().toMillis());
            m.put("frames", r.frames());
            m.put("bytes", r.bytes());
            m.put("segments", r.segments());
            m.put("notes", r.notes());
            m.put("took_ms", r.took().toMillis());
            o.println(JsonOutput.write(m));
        } else {
            o.printf(Locale.ROOT, "Exported %.1f s of camera %s (%d frames from %d recording%s, %s) to %s in"
                    + " %.1f s.%n", r.duration().toMillis() / 1000.0, r.cameraId(), r.frames(), r.segments(),
                    r.segments() == 1 ? "" : "s", Bytes.text(r.bytes()), r.file(), r.took().toMillis() / 1000.0);
            for (String n : r.notes()) {
                o.println("  note: " + n);
            }
        }
        o.flush();
        return 0;
    }

    private static String require(CommandArgs a, String option) throws CommandException {
        return a.option(option).orElseThrow(() -> CommandException.usage("Missing --" + option
                + "; see 'vigil export --help'."));
    }
}
