package org.vigil.api.storage;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The whiteboard a recorder announces its segments to: the recorder calls every registered listener, the catalog
 * is one of them. Calls come from the recorder's threads (possibly GStreamer's): implementations return at once and
 * do their work elsewhere.
 */
@ConsumerType
public interface SegmentListener {
    /**
     * A segment is complete: the muxer finalised it and nothing will write to it again. The catalog syncs the file
     * and its folder, then adds a row for it.
     */
    void segmentClosed(ClosedSegment segment);

    /**
     * A segment could not be completed (the disk filled up, the muxer failed, the pipeline was torn down before the
     * file was finalised). The catalog never catalogues such a file: it deletes it through the garbage protocol.
     *
     * @param reason one sentence, for the log
     */
    default void segmentAbandoned(String cameraId, Path path, String reason) {
    }
}
