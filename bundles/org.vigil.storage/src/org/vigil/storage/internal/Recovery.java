package org.vigil.storage.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.vigil.api.storage.SegmentState;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.disk.SegmentPaths;
import org.vigil.storage.internal.probe.MediaProbe;
import org.vigil.storage.internal.probe.ProbeResult;

/** Turns a file found on disk into a catalog row from its name and headers. */
final class Recovery {
    private Recovery() {
    }

    record Found(Optional<NewSegment> row, ProbeResult probe) {
    }

    static Found probe(FileChannel channel, SegmentPaths.Parsed where, String relativePath, long size,
            Instant modified, ZoneId zone, SegmentState state) throws IOException {
        ProbeResult r = MediaProbe.probe(channel);
        if (!r.playable()) {
            return new Found(Optional.empty(), r);
        }
        Instant start = startOf(where, r, modified, zone);
        Instant end = start.plus(r.duration());
        return new Found(Optional.of(new NewSegment(where.cameraId(), start.toEpochMilli(), end.toEpochMilli(),
                relativePath, size, r.frames(), r.codec(), state)), r);
    }

    /**
     * The start of a file: the local time its name says (the earlier reading in an autumn overlap unless the muxer's
     * creation time says otherwise), else the creation time in its headers, else its modification time less its
     * duration.
     */
    static Instant startOf(SegmentPaths.Parsed where, ProbeResult r, Instant modified, ZoneId zone) {
        Optional<LocalDateTime> named = SegmentPaths.timeFromName(where.day(), where.name());
        if (named.isPresent()) {
            LocalDateTime t = named.get();
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(t);
            if (offsets.isEmpty()) {
                return t.atZone(zone).toInstant();
            }
            Instant best = t.toInstant(offsets.get(0));
            if (offsets.size() > 1 && r.creationTime().isPresent()) {
                Instant created = r.creationTime().get();
                for (ZoneOffset o : offsets) {
                    Instant candidate = t.toInstant(o);
                    if (Math.abs(candidate.getEpochSecond() - created.getEpochSecond())
                            < Math.abs(best.getEpochSecond() - created.getEpochSecond())) {
                        best = candidate;
                    }
                }
            }
            return best;
        }
        if (r.creationTime().isPresent()) {
            return r.creationTime().get();
        }
        return modified.minus(r.duration());
    }
}
