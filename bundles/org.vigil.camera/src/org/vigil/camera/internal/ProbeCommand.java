package org.vigil.camera.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.config.CameraSubcommand;

/** {@code vigil camera probe <url> [--transport tcp|udp] [--codec auto|h264|h265|mjpeg] [--timeout S] [--json]}. */
@Component(service = CameraSubcommand.class)
public final class ProbeCommand implements CameraSubcommand {
    private final CameraService cameras;

    @Activate
    public ProbeCommand(@Reference CameraService cameras) {
        this.cameras = cameras;
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public String summary() {
        return "test a camera URL: codec, picture size, frame rate, audio";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil camera probe <rtsp-url> [--transport tcp|udp] [--codec auto|h264|h265|mjpeg]
                                     [--timeout <seconds>] [--json]

                Connects to the URL as the recorder would (on a connection of its own: a camera being recorded is
                not disturbed) and says which video it sends, whether a codec plugin records it, the picture size,
                frame rate and audio; or why it cannot be used (wrong password or path, nothing listening, not a
                camera, no video, no answer). Waits at most --timeout seconds (default 10, 1 to 60). Exit code 0
                when the stream can be recorded, 1 otherwise.
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera probe", inv.args(), Set.of("transport", "codec", "timeout"),
                Set.of("json"));
        boolean json = inv.json() || a.flag("json");
        String url = a.require(0, "the camera URL (rtsp://...)", "camera probe");
        if (a.positional().size() > 1) {
            throw CommandException.usage("'vigil camera probe' takes one URL; see 'vigil camera probe --help'.");
        }
        Transport transport = a.option("transport").map(t -> Transport.parse(t).orElse(null)).orElse(Transport.TCP);
        if (transport == null) {
            throw CommandException.usage("The transport must be tcp or udp.");
        }
        Codec codec = a.option("codec").map(c -> Codec.parse(c).orElse(null)).orElse(Codec.AUTO);
        if (codec == null) {
            throw CommandException.usage("The codec must be auto, h264, h265 or mjpeg.");
        }
        Duration timeout = CameraService.DEFAULT_PROBE_TIMEOUT;
        if (a.option("timeout").isPresent()) {
            try {
                timeout = Duration.ofSeconds(Long.parseLong(a.option("timeout").get().strip()));
            } catch (NumberFormatException e) {
                throw CommandException.usage("The timeout must be a whole number of seconds (1 to 60).");
            }
        }
        CompletableFuture<ProbeResult> running;
        try {
            running = cameras.probe(url, transport, codec, timeout);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandException(e.getMessage());
        }
        ProbeResult r;
        try {
            // the probe ends by itself at its timeout; the margin covers releasing its connection
            r = running.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new CommandException("The test was interrupted.");
        } catch (ExecutionException | TimeoutException e) {
            running.cancel(true);
            throw new CommandException("The test did not finish: " + e.getMessage());
        }
        if (json) {
            inv.out().println(JsonOutput.write(data(r)));
        } else {
            inv.out().println(r.url() + ": " + r.summary());
        }
        return r.recordable() ? 0 : 1;
    }

    public static Map<String, Object> data(ProbeResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", r.url());
        m.put("recordable", r.recordable());
        m.put("failure", r.failure().orElse(null));
        m.put("encoding", r.encoding().isEmpty() ? null : r.encoding());
        m.put("codec", r.codec().map(Codec::id).orElse(null));
        m.put("width", r.width());
        m.put("height", r.height());
        m.put("fps", r.fps().map(f -> JsonOutput.round(f, 2)).orElse(null));
        m.put("audio", r.audio().orElse(null));
        m.put("snapshot", r.snapshot().map(f -> f.width() + "x" + f.height()).orElse(null));
        m.put("summary", r.summary());
        return m;
    }
}
