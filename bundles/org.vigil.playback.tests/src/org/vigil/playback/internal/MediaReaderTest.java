package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.camera.Codec;
import org.vigil.playback.internal.media.DamagedRecordingException;
import org.vigil.playback.internal.media.RecordingFile;
import org.vigil.playback.internal.media.SampleTable;

/** The container readers on real files: fragmented and plain MP4, MJPEG in Matroska, cut and broken files. */
class MediaReaderTest {

    @Test
    void fragmentedSegmentsAsTheRecorderWritesThem() throws Exception {
        List<Path> segs = Media.segments("run3x4s", 3, 4, 25);
        for (Path p : segs) {
            try (RecordingFile f = RecordingFile.open(p)) {
                SampleTable s = f.samples();
                assertEquals(Codec.H264, f.track().codec());
                assertEquals(320, f.track().width());
                assertEquals(100, s.count(), p.toString());
                assertEquals(4, s.keyframes(), "a keyframe a second");
                assertEquals(4_000_000_000L, s.end());
                assertEquals(0, s.pts(0), "every segment starts at zero, whatever its random-access index says");
                assertTrue(s.keyframe(0));
                assertTrue(f.cutNote().isEmpty());
                assertTrue(f.track().caps().startsWith("video/x-h264,alignment=(string)au,stream-format=(string)avc"));
                int k = s.keyframeFor(2_530_000_000L);
                assertEquals(2_000_000_000L, s.pts(k));
                assertEquals(2_520_000_000L, s.pts(s.sampleAt(2_530_000_000L)));
            }
        }
    }

    @Test
    void plainMp4AndMjpegInMatroska() throws Exception {
        Path plain = Media.single("plain-4s.mp4", "x264enc key-int-max=50 bframes=2 speed-preset=ultrafast", "mp4mux",
                100);
        try (RecordingFile f = RecordingFile.open(plain)) {
            assertEquals(100, f.samples().count());
            assertEquals(2, f.samples().keyframes());
            assertEquals(4_000_000_000L, f.samples().end(), 1_000_000);
            // B-frames: decoding order differs from presentation order, the first picture is still at zero
            long minPts = Long.MAX_VALUE;
            for (int i = 0; i < f.samples().count(); i++) {
                minPts = Math.min(minPts, f.samples().pts(i));
            }
            assertEquals(0, minPts);
        }
        Path mkv = Media.single("mjpeg-2s.mkv", "jpegenc", "matroskamux", 50);
        try (RecordingFile f = RecordingFile.open(mkv)) {
            assertEquals(Codec.MJPEG, f.track().codec());
            assertEquals(50, f.samples().count());
            assertEquals(50, f.samples().keyframes());
            assertEquals(1_960_000_000L, f.samples().pts(49));
            assertEquals("image/jpeg,width=(int)320,height=(int)240", f.track().caps());
        }
    }

    @Test
    void cutAndBrokenFiles() throws Exception {
        Path seg = Media.segments("run3x4s", 3, 4, 25).get(1);
        Path dir = Media.work("reader");
        try (RecordingFile f = RecordingFile.open(Media.cut(seg, Files.size(seg) / 2, dir))) {
            assertTrue(f.samples().count() > 20 && f.samples().count() < 100, "the complete frames before the cut");
            assertFalse(f.cutNote().isEmpty());
            assertTrue(f.cutNote().get().contains("cut off"), f.cutNote().get());
        }
        DamagedRecordingException head = assertThrows(DamagedRecordingException.class,
                () -> RecordingFile.open(Media.cut(seg, 300, dir)));
        assertTrue(head.getMessage().contains("never finalised") || head.getMessage().contains("cut off"),
                head.getMessage());
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video");
        DamagedRecordingException notMp4 = assertThrows(DamagedRecordingException.class,
                () -> RecordingFile.open(text));
        assertEquals("it is not an MP4 file (it does not start with an ftyp box)", notMp4.getMessage());
        Path empty = dir.resolve("empty.mp4");
        Files.write(empty, new byte[0]);
        assertThrows(DamagedRecordingException.class, () -> RecordingFile.open(empty));
    }
}
