package org.vigil.storage.internal.catalog;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import org.vigil.api.camera.Codec;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentState;

/** A row of the segment table. */
public record SegmentRow(long id, String camera, long startMs, long endMs, String path, long bytes, long frames,
        Codec codec, SegmentState state, boolean isProtected) {

    /** The columns {@link #read} expects, in its order. */
    static final String COLUMNS = "id, camera, start_ms, end_ms, path, bytes, frames, codec, state, protected";
    private static final SegmentState[] STATES = SegmentState.values();

    public Segment toSegment(Path root) {
        return new Segment(id, camera, Instant.ofEpochMilli(startMs), Instant.ofEpochMilli(endMs), path,
                root.resolve(path), bytes, frames, codec, state, isProtected);
    }

    public String folder() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The row at the result set's cursor, selected with {@link #COLUMNS}. */
    static SegmentRow read(ResultSet rs, CameraKeys cameras) throws SQLException {
        String camera = cameras.name(rs.getInt(2));
        return new SegmentRow(rs.getLong(1), camera != null ? camera : "?",
                rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                codec(rs.getString(8)), STATES[rs.getInt(9)],
                rs.getInt(10) != 0);
    }

    private static Codec codec(String id) {
        return switch (id) {
            case "h265" -> Codec.H265;
            case "mjpeg" -> Codec.MJPEG;
            default -> Codec.H264;
        };
    }
}
