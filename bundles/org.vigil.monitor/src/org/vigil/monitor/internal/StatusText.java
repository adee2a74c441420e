package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.vigil.api.camera.CameraState;
import org.vigil.api.command.Bytes;
import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;

/** The monitor's readings as lines for {@code vigil status} and as data for {@code --json}. */
final class StatusText {
    static final Set<AlertKind> CAMERA_ALERTS = EnumSet.of(AlertKind.CAMERA_OFFLINE, AlertKind.RECORDING_STALLED);
    static final Set<AlertKind> DISK_ALERTS = EnumSet.of(AlertKind.DISK_LOW, AlertKind.DISK_FILLING);
    static final Set<AlertKind> HOST_ALERTS = EnumSet.of(AlertKind.TEMPERATURE_HIGH, AlertKind.THROTTLED,
            AlertKind.MEMORY_GROWING, AlertKind.THREADS_GROWING);
    static final String NO_READINGS = "no readings yet (the first comes a second after start)";

    private StatusText() {
    }

    // ---- host

    static List<String> hostLines(Readings r) {
        HostReading h = r.host();
        ProcessReading p = r.process();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Host: CPU %s of %d cores, memory %s of %s used, load %.2f %.2f %.2f",
                Human.percent(h.cpuPercent()), h.cpus(), Bytes.text(h.memoryUsedBytes()),
                Bytes.text(h.memoryTotalBytes()), h.load1(), h.load5(), h.load15()));
        List<String> more = new ArrayList<>();
        h.temperatureCelsius().ifPresent(t -> more.add("temperature " + Human.celsius(t)));
        h.throttling().ifPresent(t -> more.add("throttling: " + (t.activeNow() ? String.join(", ", t.now()) + " now"
                : "none now") + (t.sinceBoot().isEmpty() ? "" : " (since boot: " + String.join(", ", t.sinceBoot())
                        + ")")));
        if (!more.isEmpty()) {
            lines.add("  " + String.join("; ", more));
        }
        lines.add(String.format(Locale.ROOT, "Vigil: RSS %s, heap %s of %s, %d threads, %d%s open files",
                Bytes.text(p.rssBytes()), Bytes.text(p.heapUsedBytes()), Bytes.text(p.heapMaxBytes()), p.threads(),
                p.openFiles(), p.openFilesLimit() > 0 ? " of " + p.openFilesLimit() : ""));
        return lines;
    }

    static Map<String, Object> hostData(Readings r) {
        HostReading h = r.host();
        ProcessReading p = r.process();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", r.time().toString());
        m.put("cpu_percent", round(h.cpuPercent()));
        m.put("cpus", h.cpus());
        m.put("memory_total_bytes", h.memoryTotalBytes());
        m.put("memory_available_bytes", h.memoryAvailableBytes());
        m.put("memory_used_bytes", h.memoryUsedBytes());
        m.put("load", List.of(h.load1(), h.load5(), h.load15()));
        h.temperatureCelsius().ifPresent(t -> m.put("temperature_celsius", round(t)));
        h.throttling().ifPresent(t -> {
            Map<String, Object> th = new LinkedHashMap<>();
            th.put("flags", t.hex());
            th.put("now", t.now());
            th.put("since_boot", t.sinceBoot());
            m.put("throttling", th);
        });
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("pid", p.pid());
        v.put("rss_bytes", p.rssBytes());
        v.put("heap_used_bytes", p.heapUsedBytes());
        v.put("heap_max_bytes", p.heapMaxBytes());
        v.put("threads", p.threads());
        v.put("open_files", p.openFiles());
        v.put("open_files_limit", p.openFilesLimit());
        v.put("monitor_cpu_ms", round(p.monitorCpuMillis()));
        m.put("vigil", v);
        return m;
    }

    // ---- disk

    static List<String> diskLines(Readings r) {
        if (r.disks().isEmpty()) {
            return List.of("Disk: the recordings volume cannot be read.");
        }
        List<String> lines = new ArrayList<>();
        for (DiskReading d : r.disks()) {
            String trend = d.freeTrendBytesPerHour().filter(t -> Math.abs(t) >= 1e6)
                    .map(t -> ", free space " + (t < 0 ? "falling " : "rising ")
                            + Bytes.text(Math.round(Math.abs(t))) + "/h")
                    .orElse("");
            lines.add((lines.isEmpty() ? "Disk: " : "      ") + "recordings in " + d.path() + ": "
                    + Bytes.text(d.freeBytes()) + " free of " + Bytes.text(d.totalBytes()) + " ("
                    + Human.percent(d.freePercent()) + "), retention floor " + d.minFreePercent() + " %" + trend
                    + (d.belowFloor() ? " - BELOW THE FLOOR" : ""));
        }
        return lines;
    }

    static Map<String, Object> diskData(Readings r) {
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (DiskReading d : r.disks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", d.path());
            m.put("total_bytes", d.totalBytes());
            m.put("free_bytes", d.freeBytes());
            m.put("free_percent", round(d.freePercent()));
            m.put("min_free_percent", d.minFreePercent());
            d.freeTrendBytesPerHour().ifPresent(t -> m.put("free_trend_bytes_per_hour", Math.round(t)));
            m.put("below_floor", d.belowFloor());
            volumes.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volumes", volumes);
        return out;
    }

    // ---- cameras

    static List<String> cameraLines(Readings r) {
        List<CameraReading> cams = r.cameras();
        if (cams.isEmpty()) {
            return List.of("Cameras: none reported (no camera recorder runs in this instance).");
        }
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (CameraReading c : cams) {
            byState.merge(c.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<String> counts = new ArrayList<>();
        byState.forEach((s, n) -> counts.add(n + " " + s));
        List<String> lines = new ArrayList<>();
        lines.add("Cameras: " + cams.size() + " (" + String.join(", ", counts) + ")");
        int width = cams.stream().mapToInt(c -> c.cameraId().length()).max().orElse(4);
        for (CameraReading c : cams) {
            String state = c.state().name().toLowerCase(Locale.ROOT);
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s  %-12s", c.cameraId(),
                    state));
            if (c.state().isReceiving()) {
                b.append(String.format(Locale.ROOT, " %5.1f fps  %s", c.fps(), Human.bitrate(c.bitrateBps())));
                c.lastFrameAge().ifPresent(a -> b.append(", last frame ").append(Human.age(a)).append(" ago"));
                if (c.state() == CameraState.RECORDING) {
                    b.append(c.newestSegmentAge().map(a -> ", newest segment " + Human.age(a) + " ago")
                            .orElse(", no segment yet"));
                }
            } else {
                b.append(" since ").append(Human.time(c.since(), r.time())).append(" (")
                        .append(Human.duration(Duration.between(c.since(), r.time()))).append(")");
                c.lastFrameAge().ifPresent(a -> b.append(", last frame ").append(Human.duration(a)).append(" ago"));
            }
            b.append(", ").append(c.reconnects()).append(c.reconnects() == 1 ? " reconnect" : " reconnects");
            if (!c.state().isReceiving() && c.state() != CameraState.DISABLED) {
                c.lastError().ifPresent(e -> b.append(": ").append(e));
            }
            lines.add(b.toString());
        }
        return lines;
    }

    static Map<String, Object> cameraData(Readings r, List<Alert> alerts) {
        List<Map<String, Object>> cams = new ArrayList<>();
        for (CameraReading c : r.cameras()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.cameraId());
            m.put("state", c.state().name().toLowerCase(Locale.ROOT));
            m.put("since", c.since().toString());
            m.put("fps", round(c.fps()));
            m.put("bitrate_bps", c.bitrateBps());
            m.put("frames", c.frames());
            m.put("bytes", c.bytes());
            c.lastFrameAge().ifPresent(a -> m.put("last_frame_age_seconds", a.toMillis() / 1000.0));
            m.put("reconnects", c.reconnects());
            c.lastError().ifPresent(e -> m.put("last_error", e));
            c.newestSegmentAge().ifPresent(a -> m.put("newest_segment_age_seconds", a.toMillis() / 1000.0));
            m.put("segment_seconds", c.segmentLength().toSeconds());
            m.put("alerts", alerts.stream().filter(a -> CAMERA_ALERTS.contains(a.kind())
                    && a.subject().equals(c.cameraId())).map(a -> a.kind().name().toLowerCase(Locale.ROOT)).toList());
            cams.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cameras", cams);
        return out;
    }

    // ---- alerts

    static List<String> alertLines(List<Alert> alerts, Instant now) {
        if (alerts.isEmpty()) {
            return List.of("Alerts: none");
        }
        List<String> lines = new ArrayList<>();
        lines.add("Alerts: " + alerts.size() + " active");
        for (Alert a : alerts) {
            lines.add("  since " + Human.time(a.raised(), now) + "  " + a.message());
        }
        return lines;
    }

    static Map<String, Object> alertData(List<Alert> alerts) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", a.kind().name().toLowerCase(Locale.ROOT));
            m.put("subject", a.subject());
            m.put("raised", a.raised().toString());
            m.put("message", a.message());
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", list);
        return out;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
    }
}
