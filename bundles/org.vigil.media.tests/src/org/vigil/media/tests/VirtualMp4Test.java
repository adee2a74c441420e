package org.vigil.media.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vigil.media.mp4.VideoRangeException;
import org.vigil.media.mp4.VideoRangeException.Reason;
import org.vigil.media.mp4.VirtualMp4;
import org.vigil.media.mp4.VirtualMp4.Source;
import org.vigil.testing.Commands;
import org.vigil.testing.TestMedia;

/**
 * One MP4 assembled on the fly from real segments cut by splitmuxsink as the recorder cuts them, written out only
 * through {@link VirtualMp4#read} / {@link VirtualMp4#writeTo} and checked by ffprobe and ffmpeg (players nobody here
 * wrote).
 */
class VirtualMp4Test {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    /** One frame at 25 fps. */
    private static final long FRAME_MS = 40;

    /** Three contiguous 2 s segments (320x240, 25 fps, a keyframe a second) as splitmuxsink cuts them. */
    private static List<Path> segments() throws IOException, InterruptedException {
        return TestMedia.segments(Media.target().resolve("test-media").resolve("segments-3x2s"), 3, 2, 25, 25);
    }

    /** The segments as the catalog lists them: each 2 s after the previous, the third {@code shift} later. */
    private static List<Source> sources(List<Path> files, Duration shift) {
        List<Source> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Instant start = T0.plusSeconds(2L * i);
            out.add(new Source(files.get(i), i == 2 ? start.plus(shift) : start));
        }
        return out;
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /** The whole file written out through {@link VirtualMp4#read} into buffers of odd, changing sizes. */
    private static Path writeOut(VirtualMp4 mp4, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            long pos = 0;
            int chunk = 7;
            while (true) {
                ByteBuffer buf = ByteBuffer.allocate(chunk);
                int n = mp4.read(pos, buf);
                if (n < 0) {
                    break;
                }
                assertTrue(n > 0, "a read before the end gives bytes");
                out.write(buf.array(), 0, n);
                pos += n;
                chunk = chunk * 7 % 65_521 + 13;
            }
            assertEquals(mp4.size(), pos, "read gives exactly size() bytes");
        }
        assertEquals(mp4.size(), Files.size(file));
        return file;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Commands.Result r = Commands.run(List.of(command), TOOL_TIMEOUT, 1);
        assertEquals(0, r.exit(), String.join(" ", command) + " failed: " + r.output());
        return r.output();
    }

    /** ffprobe's answer about the first video stream and the file, as key=value pairs. */
    private static Map<String, String> probe(Path file) throws IOException, InterruptedException {
        String out = run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames,nb_frames:format=duration,format_name", "-of",
                "default=noprint_wrappers=1", file.toString());
        Map<String, String> m = new TreeMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** ffmpeg decodes every frame without a single error line. */
    private static void decodesCleanly(Path file) throws IOException, InterruptedException {
        String out = run("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-");
        assertEquals("", out.strip(), "ffmpeg decoding " + file + " reported errors");
    }

    private static void oneSentence(Exception e) {
        String m = e.getMessage();
        assertTrue(m != null && !m.isBlank() && !m.contains("\n") && !m.contains("Exception") && !m.contains("java."),
                "one sentence without Java: " + m);
        assertTrue(Character.isUpperCase(m.charAt(0)) && m.endsWith("."), "a sentence: " + m);
    }

    @Test
    void aRangeAcrossThreeSegmentsIsOneMp4ThatFfprobeAndFfmpegRead() throws Exception {
        List<Path> segs = segments();
        Path dir = Media.work("three");
        // from 0.5 s (inside the first segment's first second) to 5.5 s (inside the third segment)
        VirtualMp4 mp4 = VirtualMp4.build(sources(segs, Duration.ZERO), at(500), at(5500));
        assertEquals(T0, mp4.start(), "it starts at the keyframe at or before the start asked for (0 s)");
        // the last frame presented before 5.5 s is the one at 5.48 s: frames 0 .. 137
        assertEquals(138, mp4.frames());
        assertEquals(at(5520), mp4.end());
        assertEquals(3, mp4.segments());
        assertTrue(mp4.gaps().isEmpty(), "contiguous segments have no gap: " + mp4.gaps());
        assertTrue(mp4.notes().isEmpty(), mp4.notes().toString());
        assertEquals("video/mp4", mp4.contentType());
        assertTrue(mp4.codecs().startsWith("avc1."), mp4.codecs());

        Path file = writeOut(mp4, dir.resolve("range.mp4"));
        Map<String, String> p = probe(file);
        assertEquals("h264", p.get("codec_name"), p.toString());
        assertEquals("320", p.get("width"));
        assertEquals("240", p.get("height"));
        assertEquals("138", p.get("nb_read_frames"), "every sample is a frame ffprobe reads: " + p);
        assertEquals("138", p.get("nb_frames"), "the sample table lists them: " + p);
        double seconds = Double.parseDouble(p.get("duration"));
        assertTrue(Math.abs(seconds * 1000 - mp4.duration().toMillis()) <= 2 * FRAME_MS,
                "ffprobe's duration " + seconds + " s is the video's " + mp4.duration());
        decodesCleanly(file);

        // the movie header comes first (faststart): a player can seek before it has the frames
        byte[] head = new byte[64];
        mp4.read(0, ByteBuffer.wrap(head));
        assertEquals("ftyp", new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        int ftyp = ByteBuffer.wrap(head).getInt(0);
        assertEquals("moov", new String(head, ftyp + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));

        // seeking into the third segment gives a picture (ffmpeg seeks with the sample tables)
        Path jpg = dir.resolve("at-4.6s.jpg");
        run("ffmpeg", "-nostdin", "-v", "error", "-ss", "4.6", "-i", file.toString(), "-frames:v", "1", jpg.toString());
        assertTrue(Files.size(jpg) > 1000, "a picture at 4.6 s");
        Media.deleteTree(dir);
    }

    @Test
    void everyByteRangeIsTheSameBytesAsTheWholeFile() throws Exception {
        List<Path> segs = segments();
        VirtualMp4 mp4 = VirtualMp4.build(sources(segs, Duration.ZERO), at(0), at(6000));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        mp4.writeTo(0, mp4.size(), whole);
        byte[] all = whole.toByteArray();
        assertEquals(mp4.size(), all.length);
        Random random = new Random(14);
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long from = (long) (random.nextDouble() * mp4.size());
            long len = Math.min(mp4.size() - from, 1 + random.nextInt(i % 2 == 0 ? 300 : 90_000));
            ranges.add(new long[] {from, len});
        }
        int header = ByteBuffer.wrap(all).getInt(0) + ByteBuffer.wrap(all).getInt(ByteBuffer.wrap(all).getInt(0));
        ranges.add(new long[] {header - 3, 20}); // across the end of moov into the mdat header and the frames
        ranges.add(new long[] {mp4.size() - 1, 1}); // the last byte
        ranges.add(new long[] {0, mp4.size()});
        for (long[] r : ranges) {
            ByteArrayOutputStream part = new ByteArrayOutputStream();
            mp4.writeTo(r[0], r[1], part);
            assertArrayEquals(Arrays.copyOfRange(all, (int) r[0], (int) (r[0] + r[1])), part.toByteArray(),
                    "bytes " + r[0] + "+" + r[1]);
            ByteBuffer buf = ByteBuffer.allocate((int) r[1]);
            assertEquals(r[1], mp4.read(r[0], buf));
            assertArrayEquals(part.toByteArray(), buf.array());
        }
        assertEquals(-1, mp4.read(mp4.size(), ByteBuffer.allocate(10)), "nothing at the end");
        // the same frames give the same file, byte for byte, and the same entity tag
        VirtualMp4 again = VirtualMp4.build(sources(segs, Duration.ZERO), at(0), at(6000));
        assertEquals(mp4.etag(), again.etag());
        assertEquals(mp4.size(), again.size());
        assertFalse(mp4.etag().equals(VirtualMp4.build(sources(segs, Duration.ZERO), at(0), at(5000)).etag()),
                "other frames, another entity tag");
    }

    @Test
    void aGapBetweenSegmentsKeepsRealTimeAndIsNamed() throws Exception {
        List<Path> segs = segments();
        Path dir = Media.work("gap");
        // the camera was offline 3 s between the second and the third segment
        VirtualMp4 mp4 = VirtualMp4.build(sources(segs, Duration.ofSeconds(3)), at(0), at(9000));
        assertEquals(List.of(new VirtualMp4.Gap(at(4000), at(7000))), mp4.gaps());
        assertEquals(150, mp4.frames());
        assertEquals(Duration.ofSeconds(9), mp4.duration(), "the gap is in the timeline");
        Path file = writeOut(mp4, dir.resolve("gap.mp4"));
        Map<String, String> p = probe(file);
        assertEquals("150", p.get("nb_read_frames"), p.toString());
        assertTrue(Math.abs(Double.parseDouble(p.get("duration")) - 9.0) <= 2 * FRAME_MS / 1000.0, p.toString());
        decodesCleanly(file);
        Media.deleteTree(dir);
    }

    @Test
    void aChangedPictureSizeIsRefusedNamingWhereToSplit() throws Exception {
        List<Path> segs = segments();
        Path big = TestMedia.file(Media.target().resolve("test-media").resolve("segment-640x480.mp4"),
                "videotestsrc pattern=ball num-buffers=50 ! video/x-raw,width=640,height=480,framerate=25/1"
                        + " ! x264enc key-int-max=25 bframes=0 speed-preset=ultrafast ! h264parse"
                        + " ! mp4mux fragment-duration=1000");
        List<Source> sources = List.of(new Source(segs.get(0), T0), new Source(big, at(2000)));
        VideoRangeException e = assertThrows(VideoRangeException.class,
                () -> VirtualMp4.build(sources, at(0), at(4000)));
        assertEquals(Reason.CODEC_CHANGE, e.reason());
        assertEquals(at(2000), e.splitAt().orElseThrow());
        oneSentence(e);
        assertTrue(e.getMessage().contains("320x240") && e.getMessage().contains("640x480")
                && e.getMessage().contains("2026-12-01T10:00:02Z"), e.getMessage());
        // the parts the sentence names are each one MP4
        assertEquals(50, VirtualMp4.build(sources, at(0), at(2000)).frames());
        assertEquals(50, VirtualMp4.build(sources, at(2000), at(4000)).frames());
    }

    @Test
    void rangesThatCannotBeOneMp4AreRefusedInOneSentence() throws Exception {
        List<Source> sources = sources(segments(), Duration.ZERO);
        VideoRangeException day = assertThrows(VideoRangeException.class,
                () -> VirtualMp4.build(sources, at(0), T0.plus(Duration.ofHours(24)).plusSeconds(1)));
        assertEquals(Reason.BAD_RANGE, day.reason());
        assertTrue(day.getMessage().contains("24 hours"), day.getMessage());
        oneSentence(day);
        VideoRangeException reversed = assertThrows(VideoRangeException.class,
                () -> VirtualMp4.build(sources, at(5000), at(1000)));
        assertEquals(Reason.BAD_RANGE, reversed.reason());
        oneSentence(reversed);
        VideoRangeException none = assertThrows(VideoRangeException.class,
                () -> VirtualMp4.build(sources, at(60_000), at(70_000)));
        assertEquals(Reason.NO_RECORDINGS, none.reason());
        oneSentence(none);
        VideoRangeException mkv = assertThrows(VideoRangeException.class,
                () -> VirtualMp4.build(List.of(new Source(Media.get(Media.MJPEG), T0)), at(0), at(2000)));
        assertEquals(Reason.NOT_MP4, mkv.reason());
        assertTrue(mkv.getMessage().contains("Matroska"), mkv.getMessage());
        oneSentence(mkv);
    }

    @Test
    void aSegmentCutShortGivesItsCompleteFramesAndADamagedOneIsLeftOut() throws Exception {
        List<Path> segs = segments();
        Path dir = Media.work("cut");
        byte[] third = Files.readAllBytes(segs.get(2));
        Path cut = Media.write(dir, "seg02-cut.mp4", Arrays.copyOf(third, third.length * 6 / 10));
        Path garbage = Media.write(dir, "seg01-garbage.mp4", new byte[] {0, 0, 0, 8, 'f', 'r', 'e', 'e', 1, 2, 3});
        int completeFrames = Media.parse(cut).samples().count();
        assertTrue(completeFrames > 0 && completeFrames < 50, "the cut copy keeps some frames: " + completeFrames);
        List<Source> sources = List.of(new Source(segs.get(0), T0), new Source(garbage, at(2000)),
                new Source(cut, at(4000)));
        VirtualMp4 mp4 = VirtualMp4.build(sources, at(0), at(6000));
        assertEquals(50 + completeFrames, mp4.frames());
        assertEquals(1, mp4.gaps().size(), "the damaged segment's time is a gap: " + mp4.gaps());
        assertEquals(2, mp4.notes().size(), mp4.notes().toString());
        assertTrue(mp4.notes().stream().anyMatch(n -> n.contains("left out") && n.contains("seg01-garbage.mp4")),
                mp4.notes().toString());
        assertTrue(mp4.notes().stream().anyMatch(n -> n.contains("ends early") && n.contains("seg02-cut.mp4")),
                mp4.notes().toString());
        Path file = writeOut(mp4, dir.resolve("cut.mp4"));
        assertEquals(String.valueOf(50 + completeFrames), probe(file).get("nb_read_frames"));
        decodesCleanly(file);
        Media.deleteTree(dir);
    }

    @Test
    void aSegmentDeletedAfterBuildingFailsTheReadWithASentence() throws Exception {
        List<Path> segs = segments();
        Path dir = Media.work("vanish");
        List<Path> copies = new ArrayList<>();
        for (Path s : segs) {
            copies.add(Files.copy(s, dir.resolve(s.getFileName())));
        }
        VirtualMp4 mp4 = VirtualMp4.build(sources(copies, Duration.ZERO), at(0), at(6000));
        Files.delete(copies.get(2)); // retention removed it while a player was watching
        ByteBuffer head = ByteBuffer.allocate(1000);
        assertEquals(1000, mp4.read(0, head), "the header is still there");
        IOException e = assertThrows(IOException.class,
                () -> mp4.writeTo(0, mp4.size(), OutputStream.nullOutputStream()));
        assertTrue(e.getMessage().contains("seg02.mp4") && e.getMessage().contains("deleted")
                && e.getMessage().contains("ask for the video again"), e.getMessage());
        Media.deleteTree(dir);
    }

    @Test
    void anHourOfSegmentsNeedsAHeaderOfOnlyAFewHundredKilobytes() throws Exception {
        List<Path> segs = segments();
        Path dir = Media.work("hour");
        // 1800 catalogued 2 s segments: the three files over and over, as an hour of recording
        List<Source> hour = new ArrayList<>();
        long[] bytes = new long[3];
        for (int i = 0; i < 3; i++) {
            bytes[i] = Media.parse(segs.get(i)).samples().bytes();
        }
        long frameBytes = 0;
        for (int i = 0; i < 1800; i++) {
            hour.add(new Source(segs.get(i % 3), T0.plusSeconds(2L * i)));
            frameBytes += bytes[i % 3];
        }
        VirtualMp4 mp4 = VirtualMp4.build(hour, T0, T0.plus(Duration.ofHours(1)));
        assertEquals(90_000, mp4.frames());
        assertEquals(Duration.ofHours(1), mp4.duration());
        long header = mp4.size() - frameBytes;
        assertTrue(header < 1_000_000, "the header of an hour at 25 fps is " + header + " bytes");
        // ffprobe reads the header; the 160 MB of frames stay a hole in a sparse file
        Path file = dir.resolve("hour.mp4");
        ByteBuffer head = ByteBuffer.allocate((int) header);
        assertEquals(header, mp4.read(0, head));
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.write(head.array());
            f.setLength(mp4.size());
        }
        String out = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=nb_frames:format=duration", "-of", "default=noprint_wrappers=1", file.toString());
        assertTrue(out.contains("nb_frames=90000"), out);
        assertTrue(out.contains("duration=3600.0"), out);
        Media.deleteTree(dir);
    }
}
