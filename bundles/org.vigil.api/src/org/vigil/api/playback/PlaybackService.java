package org.vigil.api.playback;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.job.Job;

/**
 * Playing recordings back: sessions over a camera's timeline, snapshots of a recorded instant, and clip export.
 */
@ProviderType
public interface PlaybackService {
    /** The most cameras one session plays in step. */
    int MAX_CAMERAS = 4;

    /** {@link #open(String, Instant, PlaybackOptions)} with {@link PlaybackOptions#defaults()}. */
    default PlaybackSession open(String cameraId, Instant at) throws PlaybackException {
        return open(cameraId, at, PlaybackOptions.defaults());
    }

    /**
     * Opens the recordings of {@code cameraId} at {@code at} (where nothing was recorded at {@code at}, at the next
     * recording, or stopped there with {@link GapPolicy#STOP}). Returns at once; the first picture follows.
     *
     * @throws PlaybackException when the camera id is not valid, the camera has no recordings at all, or nothing was
     *                           recorded at or after {@code at}
     */
    default PlaybackSession open(String cameraId, Instant at, PlaybackOptions options) throws PlaybackException {
        return open(List.of(cameraId), at, options);
    }

    /**
     * Opens up to {@link #MAX_CAMERAS} cameras in step at one wall-clock time: one session seeks, pauses and changes
     * the speed of all of them, and frames recorded at the same instant are shown together.
     *
     * @throws PlaybackException as for one camera (at least one camera must have a recording at or after {@code at}),
     *                           or for more than {@link #MAX_CAMERAS} cameras
     */
    PlaybackSession open(List<String> cameraIds, Instant at, PlaybackOptions options) throws PlaybackException;

    /**
     * Writes the frame of {@code cameraId} recorded at {@code at} (the frame on screen at that instant) to
     * {@code out} at the recording's own size; the file appears only when complete. Completes exceptionally with a
     * {@link PlaybackException} when nothing was recorded at {@code at}.
     */
    CompletionStage<Snapshot> snapshot(String cameraId, Instant at, Path out, ImageFormat format);

    /**
     * Exports a clip on the job runner: the recordings over the range, across as many segments as it spans, copied
     * into one file without re-encoding, with progress (bytes) and cancel (no file is left behind).
     *
     * @throws PlaybackException when nothing was recorded in the range, or {@code out} exists and may not be replaced
     */
    Job<ExportReport> export(ExportRequest request) throws PlaybackException;
}
