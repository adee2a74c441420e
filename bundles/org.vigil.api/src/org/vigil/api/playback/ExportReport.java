package org.vigil.api.playback;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an export wrote.
 *
 * @param firstFrame when the first frame of the clip was recorded (the keyframe at or before the start asked for)
 * @param end        the end of the last frame of the clip
 * @param duration   the clip's duration (recorded time without the gaps between recordings)
 * @param frames     video frames written
 * @param bytes      the size of the file
 * @param segments   recording files the clip was taken from
 * @param notes      recordings left out or cut short, one sentence each
 * @param took       how long the export took
 */
public record ExportReport(String cameraId, Path file, Instant firstFrame, Instant end, Duration duration, long frames,
        long bytes, int segments, List<String> notes, Duration took) {
    public ExportReport {
        notes = List.copyOf(notes);
    }
}
