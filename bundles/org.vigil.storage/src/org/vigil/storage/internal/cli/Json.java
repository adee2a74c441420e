package org.vigil.storage.internal.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.time.Duration;
import java.util.Locale;
import java.util.Map.Entry;

import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Retention;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageStatus;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.Segment;

/**
 * The data behind the storage commands' {@code --json} output (written by JsonOutput): plain maps and lists. The
 * API's endpoints ({@code internal.web}) answer with the same maps.
 */
public final class Json {
    private Json() {
    }

    public static Map<String, Object> segment(Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("camera", s.cameraId());
        m.put("start", s.start().toString());
        m.put("end", s.end().toString());
        m.put("duration_ms", s.duration().toMillis());
        m.put("path", s.path().toString());
        m.put("relative_path", s.relativePath());
        m.put("bytes", s.bytes());
        m.put("frames", s.frames());
        m.put("codec", s.codec().id());
        m.put("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("protected", s.isProtected());
        return m;
    }

    public static List<Object> segments(List<Segment> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Segment s : list) {
            out.add(segment(s));
        }
        return out;
    }

    public static Map<String, Object> check(CheckReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", r.started().toString());
        m.put("took_ms", r.took().toMillis());
        m.put("repaired", r.repair());
        m.put("files_seen", r.filesSeen());
        m.put("rows_checked", r.rowsChecked());
        m.put("catalogued", r.catalogued());
        m.put("rows_removed", r.rowsRemoved());
        m.put("rows_updated", r.rowsUpdated());
        m.put("unplayable", r.unplayable());
        m.put("garbage_finished", r.garbageFinished());
        m.put("folders_removed", r.foldersRemoved());
        m.put("skipped", r.skipped());
        m.put("problems_found", r.foundProblems());
        m.put("details", r.details());
        m.put("details_complete", r.detailsComplete());
        return m;
    }

    public static Map<String, Object> deletion(DeletionReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dry_run", r.dryRun());
        m.put("segments", r.segments());
        m.put("bytes", r.bytes());
        m.put("protected_kept", r.protectedKept());
        m.put("first", r.first().map(Instant::toString).orElse(null));
        m.put("last", r.last().map(Instant::toString).orElse(null));
        if (r.dryRun()) {
            m.put("listed", segments(r.listed()));
            m.put("list_complete", r.listComplete());
        }
        return m;
    }

    /** {@code vigil recordings days --json}. */
    public static Map<String, Object> days(List<DayCoverage> days) {
        List<Object> list = new ArrayList<>();
        for (DayCoverage d : days) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("day", d.day().toString());
            m.put("segments", d.segments());
            m.put("bytes", d.bytes());
            m.put("recorded_ms", d.recorded().toMillis());
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("days", list);
        return m;
    }

    /** {@code vigil recordings hours --json}. */
    public static Map<String, Object> hours(String camera, List<HourCoverage> hours) {
        List<Object> list = new ArrayList<>();
        for (HourCoverage h : hours) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", h.start().toString());
            m.put("end", h.end().toString());
            m.put("recorded_ms", h.recorded().toMillis());
            m.put("gaps", gaps(h.gaps()));
            list.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("camera", camera);
        m.put("hours", list);
        return m;
    }

    /** Gaps as {@code [{"start": ..., "end": ...}]}. */
    public static List<Object> gaps(List<Gap> gaps) {
        List<Object> list = new ArrayList<>();
        for (Gap g : gaps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", g.start().toString());
            m.put("end", g.end().toString());
            list.add(m);
        }
        return list;
    }

    /** {@code vigil recordings protect|unprotect --json}. */
    public static Map<String, Object> protection(boolean protect, int segments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(protect ? "protected" : "unprotected", segments);
        return m;
    }

    /** {@code vigil storage status --json}. */
    public static Map<String, Object> status(StorageService storage, Retention retention, RecordingCatalog catalog) {
        StorageStatus s = storage.status();
        RetentionSettings r = retention.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", s.state().name().toLowerCase(Locale.ROOT));
        m.put("can_record", s.canRecord());
        m.put("reason", s.reason().orElse(null));
        m.put("root", s.root().toString());
        m.put("volume", s.volumeId().orElse(null));
        m.put("total_bytes", s.space().totalBytes());
        m.put("free_bytes", s.space().freeBytes());
        m.put("free_percent", Math.round(s.space().freePercent() * 10) / 10.0);
        m.put("bytes_per_second", s.bytesPerSecond());
        m.put("seconds_left", s.timeLeft().map(Duration::toSeconds).orElse(null));
        Map<String, Object> ret = new LinkedHashMap<>();
        ret.put("min_free_percent", r.minFreePercent());
        ret.put("hysteresis_percent", r.hysteresisPercent());
        ret.put("emergency_window_seconds", r.emergencyWindow().toSeconds());
        ret.put("reserve_bytes", r.reserveBytes());
        ret.put("period_seconds", r.period().toSeconds());
        ret.put("cameras", limits(retention.cameraLimits()));
        retention.lastRun().ifPresent(l -> ret.put("last_run", Map.of("at", l.started().toString(),
                "deleted", l.deleted(), "bytes_freed", l.bytesFreed(), "problem", l.problem().orElse(""))));
        m.put("retention", ret);
        List<Object> cams = new ArrayList<>();
        for (CameraTotals t : catalog.totals()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("camera", t.cameraId());
            c.put("segments", t.segments());
            c.put("bytes", t.bytes());
            c.put("recorded_ms", t.recorded().toMillis());
            c.put("oldest", t.oldest().map(Instant::toString).orElse(null));
            c.put("newest", t.newest().map(Instant::toString).orElse(null));
            c.put("protected_segments", t.protectedSegments());
            c.put("protected_bytes", t.protectedBytes());
            cams.add(c);
        }
        m.put("cameras", cams);
        storage.lastCheck().ifPresent(c -> m.put("last_check", check(c)));
        return m;
    }

    /** Per-camera retention limits, as {@code storage status} and {@code storage retention} show them. */
    public static Map<String, Object> limits(Map<String, CameraLimits> limits) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Entry<String, CameraLimits> e : limits.entrySet()) {
            CameraLimits l = e.getValue();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("max_age_seconds", l.maxAge().map(Duration::toSeconds).orElse(null));
            one.put("max_bytes", l.maxBytes().isPresent() ? l.maxBytes().getAsLong() : null);
            m.put(e.getKey(), one);
        }
        return m;
    }
}
