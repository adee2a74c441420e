package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.playback.PlaybackState;
import org.vigil.api.playback.PlaybackStatus;
import org.vigil.testing.Await;

/** One timeline across segment files: no stall at a boundary, accurate seeks within and across segments. */
class TimelineTest extends PlaybackTestBase {

    @Test
    void playsAcrossSegmentBoundariesWithoutAStall() throws Exception {
        String camera = cameraWithRun("boundary");
        Instant boundary = Library.BASE.plusSeconds(4);
        Session s = open(camera, boundary.minusMillis(1200), small().paused());
        List<Got> got = frames(s);
        Await.result(s.play(), WAIT);
        Instant until = boundary.plusMillis(1000);
        assertTrue(Await.until(WAIT, () -> reached(got, until)), "frames reach one second past the boundary: "
                + got.size());
        List<Got> f = copy(got);
        long worstGapMs = 0;
        for (int i = 1; i < f.size(); i++) {
            long step = Duration.between(f.get(i - 1).time(), f.get(i).time()).toNanos();
            assertEquals(Media.FRAME_NANOS, step, 1_000_000, "frame " + i + ": " + f.get(i - 1).time() + " -> "
                    + f.get(i).time() + " (frame times run on without a hole or a repeat)");
            if (!f.get(i).time().isBefore(boundary.minusMillis(200)) && f.get(i).time().isBefore(
                    boundary.plusMillis(200))) {
                worstGapMs = Math.max(worstGapMs, (f.get(i).arrivedNanos() - f.get(i - 1).arrivedNanos()) / 1_000_000);
            }
        }
        assertNotNull(at(f, boundary), "the first frame of the second segment was shown");
        assertTrue(worstGapMs < 250, "no stall at the boundary: the longest wait between frames there was "
                + worstGapMs + " ms (a frame lasts 40 ms)");
        assertEquals(PlaybackState.PLAYING, s.status().state());
        s.close();
        assertTrue(s.isReleased());
        assertEquals(PlaybackState.CLOSED, s.status().state());
    }

    @Test
    void anAccurateSeekShowsTheFrameOfThatInstantNotTheKeyframe() throws Exception {
        String camera = cameraWithRun("seek");
        // the reference: play from the keyframe at 5 s (second segment) and keep every frame
        Instant keyframe = Library.BASE.plusSeconds(5);
        Instant wanted = keyframe.plusMillis(520);
        Session ref = open(camera, keyframe, small());
        List<Got> refFrames = frames(ref);
        assertTrue(Await.until(WAIT, () -> at(refFrames, wanted) != null), "reference frames: " + refFrames.size());
        ref.close();
        Got expected = at(refFrames, wanted);
        Got key = at(refFrames, keyframe);
        assertNotEquals(key.crc(), expected.crc(), "frames differ from the keyframe (the time overlay changes)");

        Session s = open(camera, Library.BASE.plusMillis(300), small().paused());
        List<Got> got = frames(s);
        Await.result(s.pause(), WAIT);
        got.clear();
        // 13 ms into the frame: the frame on screen then is the one starting at 'wanted'
        Instant shown = Await.result(s.seek(wanted.plusMillis(13)), WAIT);
        assertEquals(wanted, shown);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        assertEquals(wanted, got.get(0).time(), "the seek shows the frame of the instant asked for");
        assertEquals(expected.crc(), got.get(0).crc(), "and it is that frame's picture, not the keyframe's");
        assertEquals(PlaybackState.PAUSED, s.status().state());
        assertEquals(wanted.plusMillis(13), s.status().position());

        // across segments, backwards, into the first segment (its keyframe is 0.4 s earlier)
        got.clear();
        Instant back = Library.BASE.plusMillis(2400);
        assertEquals(back, Await.result(s.seek(back), WAIT));
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        assertEquals(back, got.get(0).time());
    }

    @Test
    void seekingWhilePlayingGoesOnPlayingFromThere() throws Exception {
        String camera = cameraWithRun("seekplay");
        Session s = open(camera, Library.BASE.plusMillis(500), small());
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        Instant target = Library.BASE.plusMillis(9_160);
        got.clear();
        assertEquals(target, Await.result(s.seek(target), WAIT));
        Instant later = target.plusMillis(400);
        assertTrue(Await.until(WAIT, () -> reached(got, later)), "playing on after the seek");
        assertEquals(target, got.get(0).time(), "starting at the frame asked for");
        assertEquals(PlaybackState.PLAYING, s.status().state());
    }

    @Test
    void playAfterOpeningPausedAndSeekingReportsTheRecordedTime() throws Exception {
        String camera = cameraWithRun("pausedplay");
        Session s = open(camera, Library.BASE.plusMillis(500), small().paused());
        List<Got> got = frames(s);
        Instant target = Library.BASE.plusMillis(6_040);
        assertEquals(target, Await.result(s.seek(target), WAIT));
        Await.result(s.play(), WAIT);
        assertTrue(Await.until(WAIT, () -> reached(got, target.plusMillis(400))), "playing on from the seek");
        long drift = Math.abs(millis(s.status().position(), last(got).time()));
        assertTrue(drift < 500, "the position while playing is the recorded time shown, not "
                + s.status().position() + " (" + drift + " ms from the frame)");
        Instant paused = Await.result(s.pause(), WAIT);
        assertTrue(Math.abs(millis(paused, target)) < 5_000, "paused near the seek, not at " + paused);
        assertEquals(paused, s.status().position());
    }

    @Test
    void positionIsReportedEvery200msAgainstASpanKnownOnce() throws Exception {
        String camera = cameraWithRun("position");
        Session s = open(camera, Library.BASE.plusMillis(1000), small());
        List<PlaybackStatus> reports = Collections.synchronizedList(new ArrayList<>());
        s.onStatus(reports::add);
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        Await.result(s.play(), WAIT);
        reports.clear();
        long t0 = System.nanoTime();
        assertTrue(Await.until(WAIT, () -> System.nanoTime() - t0 > 1_500_000_000L && reports.size() >= 5));
        List<PlaybackStatus> r;
        synchronized (reports) {
            r = new ArrayList<>(reports);
        }
        double perSecond = r.size() / ((System.nanoTime() - t0) / 1e9);
        assertTrue(perSecond >= 3 && perSecond <= 9, "about five reports a second, not " + perSecond);
        for (int i = 1; i < r.size(); i++) {
            assertEquals(r.get(0).recorded(), r.get(i).recorded(), "the span is the one known at open");
            if (r.get(i).state() == PlaybackState.PLAYING && r.get(i - 1).state() == PlaybackState.PLAYING) {
                assertTrue(!r.get(i).position().isBefore(r.get(i - 1).position()), "positions move forward");
            }
        }
        assertEquals(Library.BASE, r.get(0).recorded().start());
        assertEquals(Library.BASE.plusSeconds(12), r.get(0).recorded().end());
        PlaybackStatus now = s.status();
        long drift = Math.abs(millis(now.position(), last(got).time()));
        assertTrue(drift < 500, "the position follows the frames shown (" + drift + " ms apart)");
    }
}
