package org.vigil.storage.internal.catalog;

import java.nio.file.Path;
import java.time.Instant;

import org.vigil.api.camera.Codec;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentState;

/** A row of the segment table. */
public record SegmentRow(long id, String camera, long startMs, long endMs, String path, long bytes, long frames,
        Codec codec, SegmentState state, boolean isProtected) {

    public Segment toSegment(Path root) {
        return new Segment(id, camera, Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs), path,
                root.resolve(path), bytes, frames, codec, state, isProtected);
    }

    public String folder() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
