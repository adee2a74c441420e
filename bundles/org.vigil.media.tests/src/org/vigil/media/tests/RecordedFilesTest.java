package org.vigil.media.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;
import org.vigil.media.Samples;

/** The one container parser on whole files as the recorder's muxers write them. */
class RecordedFilesTest {

    @Test
    void fragmentedMp4AsTheRecorderWritesIt() throws Exception {
        MediaIndex ix = Media.parse(Media.get(Media.FRAGMENTED));
        assertEquals(Container.MP4, ix.container());
        assertEquals(Codec.H264, ix.track().codec());
        assertEquals("avc1", ix.track().sampleEntry());
        assertEquals(320, ix.track().width());
        assertEquals(240, ix.track().height());
        assertTrue(ix.track().codecData().length > 8, "the avcC decoder configuration");
        assertTrue(ix.fragmented() && ix.finalized() && !ix.truncated(), ix.toString());
        assertEquals(100, ix.samples().count());
        assertEquals(4, ix.samples().keyframes(), "a keyframe a second");
        assertEquals(Duration.ofSeconds(4), ix.duration());
        assertEquals(4_000_000_000L, ix.samples().end());
        assertTrue(ix.creationTime().isPresent());
    }

    @Test
    void everyFrameStartsWithItsLengthPrefixedNalUnits() throws Exception {
        // the offsets and sizes point at the frames: each AVC sample is NAL units, each with a 4-byte length
        Path file = Media.get(Media.FRAGMENTED);
        MediaIndex ix = Media.parse(file);
        Samples s = ix.samples();
        long total = 0;
        try (FileChannel ch = FileChannel.open(file)) {
            for (int i = 0; i < s.count(); i++) {
                ByteBuffer frame = ByteBuffer.allocate(s.size(i));
                ch.read(frame, s.offset(i));
                int p = 0;
                while (p + 4 <= frame.limit()) {
                    p += 4 + frame.getInt(p);
                }
                assertEquals(frame.limit(), p, "frame " + i + " is whole NAL units");
                total += s.size(i);
            }
        }
        assertEquals(total, s.bytes());
    }

    @Test
    void segmentsCutBySplitmuxsinkStartAtZeroWhateverTheirIndexSays() throws Exception {
        List<Path> segs = Media.segments();
        assertEquals(2, segs.size());
        for (Path seg : segs) {
            MediaIndex ix = Media.parse(seg);
            assertEquals(100, ix.samples().count(), seg.toString());
            assertEquals(0, ix.samples().pts(0));
            assertEquals(Duration.ofSeconds(4), ix.duration());
            assertEquals(2_000_000_000L, ix.samples().pts(ix.samples().keyframeFor(2_530_000_000L)));
            assertTrue(ix.finalized(), seg + " has its mfra");
        }
    }

    @Test
    void plainMp4WithItsIndexAtTheEnd() throws Exception {
        MediaIndex ix = Media.parse(Media.get(Media.PLAIN));
        assertFalse(ix.fragmented());
        assertTrue(ix.finalized() && !ix.truncated(), ix.toString());
        assertEquals(250, ix.samples().count());
        assertEquals(5, ix.samples().keyframes(), "a keyframe each 2 s");
        assertEquals(Duration.ofSeconds(10), ix.duration());
        long minPts = Long.MAX_VALUE;
        for (int i = 0; i < ix.samples().count(); i++) {
            minPts = Math.min(minPts, ix.samples().pts(i));
        }
        assertEquals(0, minPts, "the first picture is at zero, B-frames or not");
    }

    @Test
    void h265InMp4() throws Exception {
        MediaIndex ix = Media.parse(Media.get(Media.H265));
        assertEquals(Codec.H265, ix.track().codec());
        assertTrue(ix.track().codecData().length > 8, "the hvcC decoder configuration");
        assertEquals(100, ix.samples().count());
        assertEquals(Duration.ofSeconds(4), ix.duration());
    }

    @Test
    void mjpegInMatroska() throws Exception {
        Path file = Media.get(Media.MJPEG);
        MediaIndex ix = Media.parse(file);
        assertEquals(Container.MATROSKA, ix.container());
        assertEquals(Codec.MJPEG, ix.track().codec());
        assertEquals(320, ix.track().width());
        assertEquals(100, ix.samples().count());
        assertEquals(100, ix.samples().keyframes(), "every JPEG picture stands alone");
        assertEquals(Duration.ofSeconds(4), ix.duration());
        assertEquals(3_960_000_000L, ix.samples().pts(99));
        assertTrue(ix.finalized() && !ix.truncated(), ix.toString());
        try (FileChannel ch = FileChannel.open(file)) {
            for (int i = 0; i < ix.samples().count(); i += 33) {
                ByteBuffer soi = ByteBuffer.allocate(2);
                ch.read(soi, ix.samples().offset(i));
                assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, soi.array(), "frame " + i
                        + " starts with a JPEG start-of-image marker");
            }
        }
    }

    @Test
    void theProbeAnswersAsTheIndexDoesWithoutListingTheFrames() throws Exception {
        Path dir = Media.work("probe");
        Path frag = Media.get(Media.FRAGMENTED);
        Path cut = Media.write(dir, "cut.mp4", java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(frag),
                (int) java.nio.file.Files.size(frag) / 2));
        for (Path file : List.of(frag, Media.get(Media.PLAIN), Media.get(Media.H265), Media.get(Media.MJPEG), cut)) {
            MediaIndex listed = Media.parse(file);
            MediaIndex counted;
            try (FileChannel ch = FileChannel.open(file)) {
                counted = MediaParser.probe(ch);
            }
            assertTrue(listed.samples().listed() && !counted.samples().listed());
            assertEquals(listed.samples().count(), counted.samples().count(), file.toString());
            assertEquals(listed.samples().keyframes(), counted.samples().keyframes());
            assertEquals(listed.samples().bytes(), counted.samples().bytes());
            assertEquals(listed.duration(), counted.duration());
            assertEquals(listed.finalized(), counted.finalized());
            assertEquals(listed.cutNote(), counted.cutNote());
            assertEquals(listed.track(), counted.track());
            assertEquals(listed.creationTime(), counted.creationTime());
        }
        Media.deleteTree(dir);
    }
}
