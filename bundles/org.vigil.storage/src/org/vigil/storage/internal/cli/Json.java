package org.vigil.storage.internal.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.DeletionReport;
import org.vigil.api.storage.Segment;

/** The data behind the storage commands' {@code --json} output (written by JsonOutput): plain maps and lists. */
final class Json {
    private Json() {
    }

    static Map<String, Object> segment(Segment s) {
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

    static List<Object> segments(List<Segment> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Segment s : list) {
            out.add(segment(s));
        }
        return out;
    }

    static Map<String, Object> check(CheckReport r) {
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

    static Map<String, Object> deletion(DeletionReport r) {
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
}
