package org.vigil.storage.internal.catalog;

import org.vigil.api.camera.Codec;
import org.vigil.api.storage.SegmentState;

/** A segment about to be catalogued (or a row about to be corrected). */
public record NewSegment(String camera, long startMs, long endMs, String path, long bytes, long frames, Codec codec,
        SegmentState state) {
}
