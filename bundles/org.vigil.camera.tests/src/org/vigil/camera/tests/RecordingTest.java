package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.Codec;
import org.vigil.api.storage.ClosedSegment;

/**
 * Records H.264, H.265 and MJPEG from the demo camera in 4 s segments, all three at once: every file is playable,
 * starts with a keyframe, has the frames announced, is named by the wall-clock time of its first frame, and the
 * segments of a connection follow each other without a gap or an overlap.
 */
class RecordingTest {
    static final Duration SEGMENT = Duration.ofSeconds(4);
    static final int SEGMENTS = 3;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, RecordingTest.class);
        h = new Harness(context, "recording");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void recordsH264H265AndMjpegInContiguousPlayableSegments() throws Exception {
        String[][] cams = { { "rec-h264", "url.h264", "h264" }, { "rec-h265", "url.h265", "hevc" },
                { "rec-mjpeg", "url.mjpeg", "mjpeg" } };
        long t0 = System.nanoTime();
        for (String[] c : cams) {
            h.add(c[0], DemoCam.url(context, c[1]), "segmentSeconds", 4);
        }
        for (String[] c : cams) {
            h.awaitState(c[0], CameraState.RECORDING, Duration.ofSeconds(20));
        }
        for (String[] c : cams) {
            h.awaitSegments(c[0], SEGMENTS, Duration.ofSeconds(40));
        }
        for (String[] c : cams) {
            h.remove(c[0]); // the open segment is closed cleanly: one more
        }
        StringBuilder report = new StringBuilder();
        for (String[] c : cams) {
            List<ClosedSegment> segs = h.segments(c[0]);
            assertTrue(segs.size() >= SEGMENTS + 1, c[0] + ": the stop closed the open segment too: " + segs.size());
            CameraStatus recording = h.seenStatus(c[0], CameraState.RECORDING, t0).orElseThrow();
            double sinceFirst = 0;
            for (int i = 0; i < segs.size(); i++) {
                ClosedSegment s = segs.get(i);
                Path f = s.path();
                assertTrue(Files.isRegularFile(f), f + " exists");
                LocalDateTime local = LocalDateTime.ofInstant(s.start(), ZoneId.systemDefault());
                assertEquals(local.format(DAY), f.getParent().getFileName().toString(), f + ": day folder");
                assertTrue(f.getFileName().toString().startsWith(local.format(TIME)), f + " is named by its start "
                        + s.start());
                assertEquals(c[0], f.getParent().getParent().getFileName().toString());
                Media.Probe p = Media.probe(f);
                report.append(String.format("%s %s start=%s end=%s frames=%d probe=%s%n", c[0], f.getFileName(),
                        s.start(), s.end(), s.frames(), p));
                assertEquals(c[2], p.videoCodec(), f + " codec");
                assertTrue(p.playable(), f + " decodes without errors: " + p);
                assertTrue(p.firstIsKey(), f + " starts with a keyframe");
                assertEquals(s.frames(), p.packets(), f + ": frames announced = frames in the file");
                if (f.toString().endsWith(".mp4")) {
                    // a player's seek trusts the index: it must count from the file's start, not the connection's
                    Mp4Index index = Mp4Index.read(f);
                    assertEquals(p.duration(), index.fragmentDuration(), 0.1, f + ": mehd = the file's length");
                    for (double t : index.firstIndexTimes()) {
                        assertTrue(t < 0.1, f + ": the random-access index starts at the file's start: " + index);
                    }
                }
                assertEquals(Files.size(f), s.bytes(), f + " size");
                assertEquals(c[0].equals("rec-h264") ? Codec.H264 : c[0].equals("rec-h265") ? Codec.H265
                        : Codec.MJPEG, s.codec());
                double announced = Duration.between(s.start(), s.end()).toNanos() / 1e9;
                // A segment ends where the next one starts (its next keyframe): the announced span is the file's
                // pictures plus any hole in the camera's timestamps before that keyframe (RTP timing jitters by a few
                // hundred ms when the camera process is starved of CPU, as on a busy 2-core CI machine).
                assertTrue(p.duration() <= announced + 0.1 && announced - p.duration() < 0.5, f + ": the file's "
                        + p.duration() + " s fit the announced " + announced + " s; " + report);
                if (i < segs.size() - 1) {
                    assertEquals(s.end(), segs.get(i + 1).start(), c[0] + ": segment " + i
                            + " ends where the next starts");
                    // cut at the first keyframe once 4 s are reached: 4 s up to 4 s + one GOP (1 s here)
                    assertTrue(announced >= 3.85 && announced <= 5.1, f + " is 4 to 5 s long: " + announced);
                }
                // the name is the first frame's time, not the time the file was opened (one GOP, 1 s, later); half a
                // GOP tells them apart and leaves room for the RTP jitter of a starved camera process (225 ms seen on
                // a loaded 2-core machine with the former 100 ms bound)
                Instant expected = segs.get(0).start().plusNanos(Math.round(sinceFirst * 1e9));
                assertTrue(Duration.between(expected, s.start()).abs().toMillis() <= 500, f + " starts at "
                        + s.start() + ", the first frame after " + sinceFirst + " s of recording is at " + expected
                        + "; " + report);
                sinceFirst += p.duration();
            }
            Instant first = segs.get(0).start();
            Instant arrived = recording.since();
            assertTrue(!first.isBefore(arrived.minusMillis(600)) && !first.isAfter(arrived.plusMillis(1100)),
                    c[0] + ": the first segment starts at " + first + ", the first frame arrived at " + arrived);
        }
        System.out.print(report);
    }
}
