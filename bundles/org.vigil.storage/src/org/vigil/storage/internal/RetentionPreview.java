package org.vigil.storage.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.command.Bytes;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.CameraTotals;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.QueryCancel;

/**
 * What a change of retention limits would delete, per camera, computed from the catalog the way retention deletes
 * (unprotected segments, by age then oldest first by size). A change that deletes more than a little of a camera
 * ({@link #LARGE_SHARE} of its bytes, or more than {@link #LARGE_RECORDED} of recording) is "large": the commands
 * show it and apply it only with {@code --yes}. Used by {@code vigil storage retention} and, through
 * {@link RetentionPreviewService}, by {@code vigil config set retention.*}.
 */
public final class RetentionPreview {
    /** More than this share of a camera's catalogued bytes is more than a little. */
    public static final double LARGE_SHARE = 0.10;
    /** More than this much of a camera's recording is more than a little. */
    public static final Duration LARGE_RECORDED = Duration.ofDays(1);

    /** What would go of one camera, against what it holds. */
    public record Camera(String camera, long segments, long bytes, Duration recorded, Optional<Instant> from,
            Optional<Instant> to, long totalBytes, Duration totalRecorded) {

        public boolean large() {
            return bytes > totalBytes * LARGE_SHARE || recorded.compareTo(LARGE_RECORDED) > 0;
        }

        String describe(ZoneId zone) {
            return camera + ": " + segments + " recording" + (segments == 1 ? "" : "s") + ", " + Bytes.text(bytes)
                    + " (" + Math.round(totalBytes == 0 ? 0 : 100.0 * bytes / totalBytes) + " % of its "
                    + Bytes.text(totalBytes) + "), " + Format.duration(recorded) + " of recording"
                    + from.map(f -> " from " + Format.time(f, zone)).orElse("")
                    + to.map(t -> " to " + Format.time(t, zone)).orElse("");
        }
    }

    private final List<Camera> cameras;
    private final ZoneId zone;

    private RetentionPreview(List<Camera> cameras, ZoneId zone) {
        this.cameras = cameras;
        this.zone = zone;
    }

    /** What {@code limits} (each camera's, defaults already applied) would delete now. */
    public static RetentionPreview of(CatalogStore store, Map<String, CameraLimits> limits, Instant now)
            throws SQLException {
        Map<String, CameraTotals> totals = new LinkedHashMap<>();
        for (CameraTotals t : store.totals(QueryCancel.NONE)) {
            totals.put(t.cameraId(), t);
        }
        List<Camera> result = new ArrayList<>();
        for (Map.Entry<String, CameraLimits> e : limits.entrySet()) {
            CameraTotals t = totals.get(e.getKey());
            CameraLimits l = e.getValue();
            if (t == null || l.isNone()) {
                continue;
            }
            long endedBy = l.maxAge().map(a -> now.toEpochMilli() - a.toMillis()).orElse(Long.MIN_VALUE);
            long maxBytes = l.maxBytes().isPresent() ? l.maxBytes().getAsLong() : Long.MAX_VALUE;
            long[] w = store.wouldDelete(e.getKey(), endedBy, maxBytes);
            if (w[0] == 0) {
                continue;
            }
            result.add(new Camera(e.getKey(), w[0], w[1], Duration.ofMillis(w[2]),
                    Optional.of(Instant.ofEpochMilli(w[3])), Optional.of(Instant.ofEpochMilli(w[4])), t.bytes(),
                    t.recorded()));
        }
        return new RetentionPreview(List.copyOf(result), store.zone());
    }

    /** Cameras that would lose something. */
    public List<Camera> cameras() {
        return cameras;
    }

    public boolean deletesAnything() {
        return !cameras.isEmpty();
    }

    /** True when some camera would lose more than a little. */
    public boolean large() {
        return cameras.stream().anyMatch(Camera::large);
    }

    /** One line per camera that would lose something. */
    public List<String> lines() {
        return cameras.stream().map(c -> c.describe(zone)).toList();
    }

    /** For {@code --json} and the service: {large, cameras: [{camera, segments, bytes, ...}]}. */
    public Map<String, Object> data() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("large", large());
        List<Object> list = new ArrayList<>();
        for (Camera c : cameras) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("camera", c.camera());
            one.put("segments", c.segments());
            one.put("bytes", c.bytes());
            one.put("recorded_ms", c.recorded().toMillis());
            one.put("from", c.from().map(Instant::toString).orElse(null));
            one.put("to", c.to().map(Instant::toString).orElse(null));
            one.put("camera_bytes", c.totalBytes());
            one.put("large", c.large());
            list.add(one);
        }
        m.put("cameras", list);
        m.put("lines", lines());
        return m;
    }
}
