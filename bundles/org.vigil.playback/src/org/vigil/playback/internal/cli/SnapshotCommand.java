package org.vigil.playback.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraId;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.TimeArgs;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.playback.ImageFormat;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.playback.Snapshot;
import org.vigil.api.storage.RecordingCatalog;

/** {@code vigil snapshot --camera ID --at TIME --out FILE}: one recorded frame as PNG or JPEG. */
@Component(service = VigilCommand.class)
public final class SnapshotCommand implements VigilCommand {
    private final PlaybackService playback;
    private final RecordingCatalog catalog;

    @Activate
    public SnapshotCommand(@Reference PlaybackService playback, @Reference RecordingCatalog catalog) {
        this.playback = playback;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String summary() {
        return "write the recorded frame of a camera at a time as a PNG or JPEG picture";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil snapshot --camera ID --at TIME --out FILE [--format png|jpeg] [--overwrite] [--json]

                Writes the frame that was on screen at TIME (not the keyframe before it) at the recording's own size.
                The format follows the file name (.png, .jpg, .jpeg) unless --format says otherwise. An existing
                FILE is replaced only with --overwrite.

                TIME is local ISO-8601 (2026-11-26T10:00:30.5), relative to now (-2h, -90s), now, today or
                yesterday. A relative FILE is relative to the current directory.

                Example:
                  vigil snapshot --camera front --at 2026-11-26T10:00:30 --out front.png
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("snapshot", inv.args(), Set.of("camera", "at", "out", "format"),
                Set.of("overwrite", "json"));
        if (!a.positional().isEmpty()) {
            throw CommandException.usage("Unexpected argument '" + a.positional().get(0) + "'; see 'vigil snapshot"
                    + " --help'.");
        }
        String camera = require(a, "camera");
        if (!CameraId.isValid(camera)) {
            throw new CommandException("Camera id '" + camera + "' is not valid: use 1 to 64 characters of a-z, 0-9,"
                    + " '_' and '-'.");
        }
        Instant at = TimeArgs.parse("at", require(a, "at"), Instant.now(), catalog.zone());
        Path out = inv.resolvePath(require(a, "out"));
        if (Files.isRegularFile(out) && !a.flag("overwrite")) {
            throw new CommandException("The file " + out + " exists; choose another name or add --overwrite to"
                    + " replace it.");
        }
        ImageFormat format;
        if (a.option("format").isPresent()) {
            format = ImageFormat.parse(a.option("format").get()).orElseThrow(() -> CommandException.usage(
                    "--format takes png or jpeg, not '" + a.option("format").get() + "'."));
        } else {
            format = ImageFormat.of(out).orElseThrow(() -> CommandException.usage("Say the picture format with a"
                    + " file name ending in .png or .jpg, or with --format png|jpeg."));
        }
        Snapshot s;
        try {
            s = playback.snapshot(camera, at, out, format).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("Interrupted; no picture was written.");
        } catch (ExecutionException e) {
            throw new CommandException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CommandException("No picture within 60 s; the recording may be damaged.");
        }
        PrintWriter o = inv.out();
        if (inv.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", s.cameraId());
            m.put("file", s.file().toString());
            m.put("frame_time", s.frameTime().toString());
            m.put("width", s.width());
            m.put("height", s.height());
            m.put("format", s.format().name().toLowerCase(Locale.ROOT));
            m.put("bytes", s.bytes());
            o.println(JsonOutput.write(m));
        } else {
            o.printf(Locale.ROOT, "Wrote the frame of camera %s recorded at %s (%dx%d, %s) to %s.%n", s.cameraId(),
                    s.frameTime().atZone(catalog.zone()).toLocalDateTime(), s.width(), s.height(),
                    s.format().name(), s.file());
        }
        o.flush();
        return 0;
    }

    private static String require(CommandArgs a, String option) throws CommandException {
        return a.option(option).orElseThrow(() -> CommandException.usage("Missing --" + option
                + "; see 'vigil snapshot --help'."));
    }
}
