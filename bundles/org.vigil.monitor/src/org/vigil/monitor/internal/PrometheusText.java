package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.vigil.api.camera.CameraState;
import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.ProcessReading;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.Throttling;

/**
 * The readings in the Prometheus text exposition format (version 0.0.4): base units (bytes, seconds, ratios),
 * {@code _total} for counters, one {@code # HELP} and {@code # TYPE} per family. Absent readings (no thermal zone,
 * no throttling flags) make no series rather than a zero.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {
    }

    static String render(Readings r, List<Alert> alerts) {
        PrometheusText p = new PrometheusText();
        p.host(r.host());
        p.disks(r.disks());
        p.process(r.process());
        p.cameras(r.cameras(), r.time());
        p.alerts(alerts);
        p.family("vigil_monitor_last_reading_timestamp_seconds", "gauge", "When the newest readings were taken.");
        p.sample("vigil_monitor_last_reading_timestamp_seconds", "", r.time().toEpochMilli() / 1000.0);
        return p.out.toString();
    }

    private void host(HostReading h) {
        gauge("vigil_host_cpu_usage_ratio", "CPU use of all cores over the last interval, 0 to 1.", h.cpuPercent() / 100);
        gauge("vigil_host_cpus", "CPUs of the host.", h.cpus());
        gauge("vigil_host_memory_total_bytes", "Physical memory.", h.memoryTotalBytes());
        gauge("vigil_host_memory_available_bytes", "Memory available without swapping (MemAvailable).",
                h.memoryAvailableBytes());
        gauge("vigil_host_load1", "Load average over 1 minute.", h.load1());
        gauge("vigil_host_load5", "Load average over 5 minutes.", h.load5());
        gauge("vigil_host_load15", "Load average over 15 minutes.", h.load15());
        h.temperatureCelsius().ifPresent(t -> gauge("vigil_host_temperature_celsius", "SoC temperature.", t));
        if (h.throttling().isPresent()) {
            Throttling t = h.throttling().get();
            String[] names = { "under_voltage", "frequency_capped", "throttled", "soft_temperature_limit" };
            family("vigil_host_throttling", "gauge", "Raspberry Pi firmware flags holding now (1) or not (0).");
            for (int i = 0; i < names.length; i++) {
                sample("vigil_host_throttling", label("condition", names[i]), (t.bits() >> i) & 1);
            }
            family("vigil_host_throttling_since_boot", "gauge", "Raspberry Pi firmware flags that held since boot.");
            for (int i = 0; i < names.length; i++) {
                sample("vigil_host_throttling_since_boot", label("condition", names[i]), (t.bits() >> (16 + i)) & 1);
            }
        }
    }

    private void disks(List<DiskReading> disks) {
        if (disks.isEmpty()) {
            return;
        }
        family("vigil_disk_size_bytes", "gauge", "Size of the volume holding recordings.");
        disks.forEach(d -> sample("vigil_disk_size_bytes", label("path", d.path()), d.totalBytes()));
        family("vigil_disk_free_bytes", "gauge", "Bytes Vigil may still write on the recordings volume.");
        disks.forEach(d -> sample("vigil_disk_free_bytes", label("path", d.path()), d.freeBytes()));
        family("vigil_disk_min_free_ratio", "gauge", "The retention floor: the share of the volume kept free.");
        disks.forEach(d -> sample("vigil_disk_min_free_ratio", label("path", d.path()), d.minFreePercent() / 100.0));
        if (disks.stream().anyMatch(d -> d.freeTrendBytesPerHour().isPresent())) {
            family("vigil_disk_free_trend_bytes_per_hour", "gauge",
                    "Change of free space over the trend window (negative while filling).");
            disks.forEach(d -> d.freeTrendBytesPerHour().ifPresent(
                    t -> sample("vigil_disk_free_trend_bytes_per_hour", label("path", d.path()), t)));
        }
    }

    private void process(ProcessReading p) {
        gauge("vigil_process_resident_memory_bytes", "Vigil's resident memory (RSS).", p.rssBytes());
        gauge("vigil_process_heap_used_bytes", "Java heap in use.", p.heapUsedBytes());
        gauge("vigil_process_heap_max_bytes", "The most the Java heap may grow to.", p.heapMaxBytes());
        gauge("vigil_process_threads", "Threads of the process, native ones included.", p.threads());
        gauge("vigil_process_open_fds", "Open file descriptors.", p.openFiles());
        if (p.openFilesLimit() > 0) {
            gauge("vigil_process_max_fds", "Limit of open file descriptors.", p.openFilesLimit());
        }
        gauge("vigil_monitor_reading_cpu_seconds", "CPU time the monitor's previous reading took.",
                p.monitorCpuMillis() / 1000);
    }

    private void cameras(List<CameraReading> cams, Instant now) {
        if (cams.isEmpty()) {
            return;
        }
        family("vigil_camera_up", "gauge", "1 while the camera delivers frames.");
        cams.forEach(c -> sample("vigil_camera_up", cam(c), c.state().isReceiving() ? 1 : 0));
        family("vigil_camera_state", "gauge", "1 for the camera's current state, 0 for the others.");
        for (CameraReading c : cams) {
            for (CameraState s : CameraState.values()) {
                sample("vigil_camera_state", cam(c) + "," + label("state", s.name().toLowerCase(Locale.ROOT)),
                        c.state() == s ? 1 : 0);
            }
        }
        family("vigil_camera_frames_per_second", "gauge", "Frames received per second.");
        cams.forEach(c -> sample("vigil_camera_frames_per_second", cam(c), c.fps()));
        family("vigil_camera_bitrate_bits_per_second", "gauge", "Bits received per second.");
        cams.forEach(c -> sample("vigil_camera_bitrate_bits_per_second", cam(c), c.bitrateBps()));
        family("vigil_camera_frames_total", "counter", "Frames received since the recorder started.");
        cams.forEach(c -> sample("vigil_camera_frames_total", cam(c), c.frames()));
        family("vigil_camera_received_bytes_total", "counter", "Bytes received since the recorder started.");
        cams.forEach(c -> sample("vigil_camera_received_bytes_total", cam(c), c.bytes()));
        family("vigil_camera_reconnects_total", "counter", "Reconnections since the recorder started.");
        cams.forEach(c -> sample("vigil_camera_reconnects_total", cam(c), c.reconnects()));
        family("vigil_camera_state_seconds", "gauge", "Seconds since the camera entered its current state.");
        cams.forEach(c -> sample("vigil_camera_state_seconds", cam(c),
                Math.max(0, Duration.between(c.since(), now).toMillis() / 1000.0)));
        family("vigil_camera_last_frame_age_seconds", "gauge", "Seconds since the newest frame arrived.");
        cams.forEach(c -> c.lastFrameAge().ifPresent(a -> sample("vigil_camera_last_frame_age_seconds", cam(c),
                a.toMillis() / 1000.0)));
        family("vigil_camera_newest_segment_age_seconds", "gauge", "Seconds since the newest segment ended.");
        cams.forEach(c -> c.newestSegmentAge().ifPresent(a -> sample("vigil_camera_newest_segment_age_seconds",
                cam(c), a.toMillis() / 1000.0)));
        family("vigil_camera_segment_length_seconds", "gauge", "The camera's segment length.");
        cams.forEach(c -> sample("vigil_camera_segment_length_seconds", cam(c), c.segmentLength().toSeconds()));
    }

    private void alerts(List<Alert> alerts) {
        gauge("vigil_alerts_active", "Alerts active now.", alerts.size());
        if (!alerts.isEmpty()) {
            family("vigil_alert", "gauge", "1 for each active alert.");
            for (Alert a : alerts) {
                sample("vigil_alert", label("kind", a.kind().name().toLowerCase(Locale.ROOT)) + ","
                        + label("subject", a.subject()), 1);
            }
        }
    }

    private void gauge(String name, String help, double value) {
        family(name, "gauge", help);
        sample(name, "", value);
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private static String cam(CameraReading c) {
        return label("camera", c.cameraId());
    }

    static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
