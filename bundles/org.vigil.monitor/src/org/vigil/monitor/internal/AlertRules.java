package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

import org.vigil.api.camera.CameraState;
import org.vigil.api.command.Bytes;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.Throttling;

/**
 * Decides, on every reading, which alerts hold: each rule states its condition and the {@link AlertBook} turns
 * changes into events. Not thread-safe: the sampler calls it.
 */
final class AlertRules {
    /** The leak alarm ignores the first minutes after start, when heap and caches grow to their working size. */
    static final Duration WARM_UP = Duration.ofMinutes(10);
    /** Slices of the leak window whose averages must rise one after the other. */
    static final int LEAK_SLICES = 6;
    private static final Set<AlertKind> CAMERA_KINDS = EnumSet.of(AlertKind.CAMERA_OFFLINE, AlertKind.RECORDING_STALLED);
    private static final Set<AlertKind> DISK_KINDS = EnumSet.of(AlertKind.DISK_LOW, AlertKind.DISK_FILLING);
    static final String HOST = "host";
    static final String VIGIL = "vigil";

    private final AlertBook book;
    /** Since when each camera that is not receiving has been down, as far as the monitor can tell. */
    private final Map<String, Instant> cameraDownSince = new HashMap<>();
    /** Cameras whose previous reading was DISABLED: once enabled, their outage starts when they were enabled. */
    private final Set<String> cameraDisabled = new HashSet<>();
    private final Map<String, Instant> diskBelowSince = new HashMap<>();

    AlertRules(AlertBook book) {
        this.book = book;
    }

    void evaluate(Readings r, MonitorConfig c) {
        cameras(r, c);
        disks(r, c);
        host(r.host(), r.time(), c);
    }

    // ---- cameras

    private void cameras(Readings r, MonitorConfig c) {
        Instant now = r.time();
        Set<String> seen = new HashSet<>();
        for (CameraReading cam : r.cameras()) {
            seen.add(cam.cameraId());
            camera(cam, now, c);
        }
        cameraDownSince.keySet().retainAll(seen);
        cameraDisabled.retainAll(seen);
        book.clearAll(a -> CAMERA_KINDS.contains(a.kind()) && !seen.contains(a.subject()), now,
                a -> "Camera '" + a.subject() + "' is no longer reported by a recorder (it was removed, or the"
                        + " recorder stopped).");
    }

    private void camera(CameraReading cam, Instant now, MonitorConfig c) {
        String id = cam.cameraId();
        boolean wasDisabled = cameraDisabled.remove(id);
        if (cam.state() == CameraState.DISABLED) {
            cameraDisabled.add(id);
            cameraDownSince.remove(id);
            book.clear(AlertKind.CAMERA_OFFLINE, id, now, "Camera '" + id + "' was disabled.");
            book.clear(AlertKind.RECORDING_STALLED, id, now, "Camera '" + id + "' was disabled.");
            return;
        }
        Optional<Instant> lastFrame = cam.lastFrameAge().map(now::minus);
        boolean framesFresh = lastFrame.orElse(cam.since()).isAfter(now.minus(c.cameraOffline()));
        if (cam.state().isReceiving() && framesFresh) {
            Instant was = cameraDownSince.remove(id);
            book.clear(AlertKind.CAMERA_OFFLINE, id, now, "Camera '" + id + "' is online again"
                    + (was == null ? "" : " after " + Human.duration(Duration.between(was, now))) + ".");
            recording(cam, now);
            return;
        }
        // Down since its newest frame (or, when none arrived, since it entered its state); for a camera just
        // enabled, since it was enabled. Never since its newest state: a camera that cycles CONNECTING ->
        // RECONNECTING starts a new state every few seconds.
        Instant downSince = cameraDownSince.computeIfAbsent(id, k -> wasDisabled
                ? lastFrame.filter(t -> t.isAfter(cam.since())).orElse(cam.since())
                : lastFrame.orElse(cam.since()));
        Duration down = Duration.between(downSince, now);
        if (down.compareTo(c.cameraOffline()) >= 0) {
            String name = cam.state().name().toLowerCase(Locale.ROOT);
            String state = cam.state().isReceiving() ? "no frames arrive although it is " + name : name;
            book.raise(AlertKind.CAMERA_OFFLINE, id, now, "Camera '" + id + "' has been offline for "
                    + Human.duration(down) + " (" + state + ", " + cam.reconnects() + " reconnects)"
                    + cam.lastError().map(e -> ": " + stripPeriod(e) + ".")
                            .orElse("; check its power, network and URL."));
        }
        book.clear(AlertKind.RECORDING_STALLED, id, now, "Camera '" + id + "' went offline; the offline alert"
                + " covers it until it is back.");
    }

    /** Online and recording: the newest segment must be younger than twice the segment length. */
    private void recording(CameraReading cam, Instant now) {
        String id = cam.cameraId();
        if (cam.state() != CameraState.RECORDING) {
            book.clear(AlertKind.RECORDING_STALLED, id, now, "Camera '" + id + "' no longer records (recording is"
                    + " switched off).");
            return;
        }
        // Measured from the later of the newest segment's end and the start of recording, so that a camera back
        // from an outage is not reported stalled because of the gap.
        Instant recordingSince = cam.since();
        Instant reference = cam.newestSegmentAge().map(now::minus).filter(t -> t.isAfter(recordingSince))
                .orElse(recordingSince);
        Duration stalled = Duration.between(reference, now);
        Duration limit = cam.segmentLength().multipliedBy(2);
        if (stalled.compareTo(limit) > 0) {
            book.raise(AlertKind.RECORDING_STALLED, id, now, "Camera '" + id + "' is online but "
                    + cam.newestSegmentAge().map(a -> "its newest recording ended " + Human.duration(a) + " ago")
                            .orElse("nothing was recorded in the " + Human.duration(stalled) + " since it connected")
                    + " (segments are " + Human.duration(cam.segmentLength()) + "): recording has stalled; check the"
                    + " recordings disk and the log.");
        } else {
            book.clear(AlertKind.RECORDING_STALLED, id, now, "Camera '" + id + "' records again.");
        }
    }

    // ---- disks

    private void disks(Readings r, MonitorConfig c) {
        Instant now = r.time();
        if (!r.disks().isEmpty()) {
            Set<String> paths = new HashSet<>();
            r.disks().forEach(d -> paths.add(d.path()));
            diskBelowSince.keySet().retainAll(paths);
            book.clearAll(a -> DISK_KINDS.contains(a.kind()) && !paths.contains(a.subject()), now,
                    a -> "The recordings are no longer kept in " + a.subject() + ".");
        }
        for (DiskReading d : r.disks()) {
            disk(d, now, c);
        }
    }

    private void disk(DiskReading d, Instant now, MonitorConfig c) {
        String vol = d.path();
        if (d.totalBytes() <= 0) {
            return;
        }
        String free = Human.percent(d.freePercent()) + " free (" + Bytes.text(d.freeBytes()) + " of "
                + Bytes.text(d.totalBytes()) + ")";
        if (!d.belowFloor()) {
            diskBelowSince.remove(vol);
            book.clear(AlertKind.DISK_LOW, vol, now, "The recordings volume of " + vol + " has " + free
                    + " again, above the retention floor of " + d.minFreePercent() + " %.");
            book.clear(AlertKind.DISK_FILLING, vol, now, "The recordings volume of " + vol + " is above the retention"
                    + " floor again (" + free + ").");
            return;
        }
        Instant below = diskBelowSince.computeIfAbsent(vol, k -> now);
        if (Duration.between(below, now).compareTo(c.diskLowDelay()) >= 0) {
            book.raise(AlertKind.DISK_LOW, vol, now, "The recordings volume of " + vol + " has only " + free
                    + ", below the retention floor of " + d.minFreePercent() + " %: retention is not keeping up or"
                    + " other files fill the disk; free space or keep recordings for a shorter time.");
        }
        if (d.freeTrendBytesPerHour().isEmpty()) {
            return;
        }
        double perHour = d.freeTrendBytesPerHour().get();
        double windowHours = c.diskTrend().toMillis() / 3_600_000.0;
        double fell = -perHour * windowHours;
        double noise = Math.max(1024.0 * 1024.0, d.totalBytes() * 0.001);
        if (fell > noise) {
            double hoursToFull = d.freeBytes() / -perHour;
            book.raise(AlertKind.DISK_FILLING, vol, now, "The recordings volume of " + vol + " fills faster than"
                    + " retention frees space: free space fell by " + Bytes.text(Math.round(fell)) + " in the last "
                    + Human.duration(c.diskTrend()) + " to " + free + ", below the floor of " + d.minFreePercent()
                    + " %; at this rate it is full in " + Human.duration(Duration.ofSeconds((long) (hoursToFull * 3600)))
                    + ". Check that retention runs, or record less.");
        } else if (fell < noise / 2) {
            book.clear(AlertKind.DISK_FILLING, vol, now, "Free space of the recordings volume of " + vol
                    + " no longer falls (" + free + ").");
        }
    }

    // ---- host

    private void host(HostReading h, Instant now, MonitorConfig c) {
        double limit = c.temperatureLimitCelsius();
        Optional<Double> t = h.temperatureCelsius();
        if (t.isPresent() && t.get() > limit) {
            book.raise(AlertKind.TEMPERATURE_HIGH, HOST, now, "The SoC temperature is " + Human.celsius(t.get())
                    + ", above " + Human.celsius(limit) + ": the board slows down and may drop frames; improve its"
                    + " cooling (a heatsink or fan, free air around the case).");
        } else if (t.isEmpty() || t.get() <= limit - MonitorConfig.TEMPERATURE_HYSTERESIS) {
            book.clear(AlertKind.TEMPERATURE_HIGH, HOST, now, t.map(v -> "The SoC temperature is down to "
                    + Human.celsius(v) + ".").orElse("The SoC temperature is no longer reported."));
        }
        Optional<Throttling> th = h.throttling();
        if (th.isPresent() && th.get().activeNow()) {
            Throttling flags = th.get();
            String advice = flags.underVoltageNow() ? "use a power supply that gives enough current"
                    : "improve the cooling";
            book.raise(AlertKind.THROTTLED, HOST, now, "The Raspberry Pi reports " + String.join(", ", flags.now())
                    + " now (get_throttled=" + flags.hex() + "): " + advice + ".");
        } else {
            book.clear(AlertKind.THROTTLED, HOST, now, "The Raspberry Pi no longer reports under-voltage or"
                    + " throttling.");
        }
    }

    // ---- leaks, once per minute of history

    /**
     * Raises a leak alarm when Vigil's memory or thread count rose steadily over the leak window: the window is cut
     * into {@value #LEAK_SLICES} slices whose averages must each be higher than the one before, and the last must
     * exceed the first by the configured amount. Averages hide the saw-tooth of garbage collection and short-lived
     * threads; a real leak climbs through all of them. The alarm clears when a slice no longer rises, or rises by
     * less than half the alarm's rate (a heap still touching new pages creeps up by a few KB).
     */
    void leaks(MinuteHistory history, HistoryPoint newest, Instant started, MonitorConfig c) {
        Instant now = newest.minute().plus(Duration.ofMinutes(1));
        Instant from = now.minus(c.leakWindow());
        if (from.isBefore(started.plus(WARM_UP))) {
            return;
        }
        List<HistoryPoint> points = history.between(from, now);
        Duration slice = c.leakWindow().dividedBy(LEAK_SLICES);
        leak(AlertKind.MEMORY_GROWING, "memory use (RSS)", points, from, slice, HistoryPoint::rssBytes,
                c.leakMemoryBytes(), v -> Bytes.text(Math.round(v)), now, c);
        leak(AlertKind.THREADS_GROWING, "thread count", points, from, slice, HistoryPoint::threads, c.leakThreads(),
                v -> String.valueOf(Math.round(v)), now, c);
    }

    private void leak(AlertKind kind, String what, List<HistoryPoint> points, Instant from, Duration slice,
            ToDoubleFunction<HistoryPoint> value, double threshold, DoubleFunction<String> show,
            Instant now, MonitorConfig c) {
        double[] avg = MinuteHistory.sliceAverages(points, from, slice, LEAK_SLICES, value);
        boolean complete = true;
        boolean rising = true;
        for (int i = 0; i < avg.length; i++) {
            complete &= !Double.isNaN(avg[i]);
            if (i > 0) {
                rising &= avg[i] > avg[i - 1];
            }
        }
        if (!complete) {
            return; // a gap in the history (suspend, clock change): no verdict either way
        }
        double first = avg[0];
        double last = avg[avg.length - 1];
        // Growth of the newest slice: the alarm clears once it is below half the rate that raises it, without
        // waiting a whole window for the grown-to level to become the window's first slice.
        double newestGrowth = last - avg[avg.length - 2];
        if (rising && last - first >= threshold) {
            book.raise(kind, VIGIL, now, "Vigil's " + what + " grew steadily for " + Human.duration(c.leakWindow())
                    + ", from " + show.apply(first) + " to " + show.apply(last) + ": this looks like a leak; if it"
                    + " goes on, restart Vigil at a quiet time and report what changed (cameras, plugins).");
        } else if (!rising || newestGrowth < threshold / (LEAK_SLICES - 1) / 2) {
            book.clear(kind, VIGIL, now, "Vigil's " + what + " stopped growing (" + show.apply(last) + ").");
        }
    }

    private static String stripPeriod(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
