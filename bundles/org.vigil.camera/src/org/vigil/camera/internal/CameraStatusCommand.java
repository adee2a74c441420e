package org.vigil.camera.internal;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.platform.VigilMode;

/** {@code vigil camera status [id] [--json]}: what each camera's recorder is doing now. */
@Component(service = CameraSubcommand.class)
public final class CameraStatusCommand implements CameraSubcommand {
    static final String NOT_RUNNING = "No recorder is running: camera states are known only to a running Vigil "
            + "(start it with 'vigil run').";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final CameraService cameras;
    private final VigilMode mode;

    @Activate
    public CameraStatusCommand(BundleContext context, @Reference CameraService cameras) {
        this.cameras = cameras;
        this.mode = VigilMode.of(context.getProperty(VigilMode.PROPERTY));
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "what each camera's recorder does now";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil camera status [<id>] [--json]

                Shows each camera's state (DISABLED, CONNECTING, RECORDING, STREAMING, RECONNECTING, OFFLINE), since
                when, frames per second, bit rate, the age of the newest frame, reconnects and the reason when it
                is offline or reconnecting. With <id>, only that camera.
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera status", inv.args(), Set.of(), Set.of("json"));
        boolean json = inv.json() || a.flag("json");
        if (a.positional().size() > 1) {
            throw CommandException.usage("'vigil camera status' takes at most one camera id; see 'vigil camera status"
                    + " --help'.");
        }
        Optional<String> only = a.positional().isEmpty() ? Optional.empty() : Optional.of(a.positional().get(0));
        if (!mode.records()) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("running", false);
                m.put("message", NOT_RUNNING);
                inv.out().println(JsonOutput.write(m));
            } else {
                inv.out().println(NOT_RUNNING);
            }
            return 1;
        }
        List<CameraStatus> all = new ArrayList<>();
        if (only.isPresent()) {
            all.add(cameras.status(only.get()).orElseThrow(() -> new CommandException("No camera '" + only.get()
                    + "' is configured; see 'vigil camera list'.")));
        } else {
            all.addAll(cameras.cameras());
        }
        Instant now = Instant.now();
        PrintWriter out = inv.out();
        if (json) {
            List<Object> rows = new ArrayList<>();
            for (CameraStatus s : all) {
                rows.add(data(s, cameras.statistics(s.cameraId()), now));
            }
            out.println(JsonOutput.write(only.isPresent() ? rows.get(0) : rows));
            return 0;
        }
        if (all.isEmpty()) {
            out.println("No cameras yet; add one with 'vigil camera add <id> <rtsp-url>'.");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "CAMERA", "STATE", "SINCE", "FPS", "KBIT/S", "LAST FRAME", "RECONNECTS", "REASON" });
        for (CameraStatus s : all) {
            Optional<CameraStatistics> st = cameras.statistics(s.cameraId());
            rows.add(new String[] { s.cameraId(), s.state().name(), since(s.since(), now),
                    st.map(x -> String.format(Locale.ROOT, "%.1f", x.fps())).orElse("-"),
                    st.map(x -> Long.toString(x.bitrateBps() / 1000)).orElse("-"),
                    st.flatMap(x -> x.lastFrameAge(now)).map(CameraStatusCommand::age).orElse("-"),
                    st.map(x -> Long.toString(x.reconnects())).orElse("-"), s.reason().orElse("") });
        }
        table(out, rows);
        return 0;
    }

    public static Map<String, Object> data(CameraStatus s, Optional<CameraStatistics> st, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.cameraId());
        m.put("state", s.state().name());
        m.put("since", s.since().toString());
        m.put("reason", s.reason().orElse(null));
        st.ifPresent(x -> {
            m.put("fps", JsonOutput.round(x.fps(), 2));
            m.put("bitrateBps", x.bitrateBps());
            m.put("frames", x.frames());
            m.put("bytes", x.bytes());
            m.put("lastFrameAgeMillis", x.lastFrameAge(now).map(Duration::toMillis).orElse(null));
            m.put("reconnects", x.reconnects());
            m.put("lastError", x.lastError().orElse(null));
            m.put("newestSegmentEnd", x.newestSegmentEnd().map(Instant::toString).orElse(null));
            m.put("segmentSeconds", x.segmentLength().toSeconds());
        });
        return m;
    }

    private static String since(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.toHours() >= 24) {
            return since.atZone(ZoneId.systemDefault()).toLocalDate().toString();
        }
        return TIME.format(since.atZone(ZoneId.systemDefault()));
    }

    private static String age(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return (ms / 60_000) + " min";
        }
        return (ms / 3_600_000) + " h";
    }

    static void table(PrintWriter out, List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) {
                    b.append(" ".repeat(w[i] - r[i].length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
