package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Registration;
import org.vigil.api.playback.PlaybackState;
import org.vigil.testing.Await;

/** Speeds from 0.25x to 16x (keyframes only above 4x), frame step, picture size. */
class SpeedStepTest extends PlaybackTestBase {

    /** Recorded time shown per second of real time, measured over the frames of about {@code realMs}. */
    private static double measuredSpeed(List<Got> got, long realMs) throws InterruptedException {
        got.clear();
        long t0 = System.nanoTime();
        Await.until(Duration.ofMillis(realMs + 5000), () -> System.nanoTime() - t0 > realMs * 1_000_000L
                && got.size() >= 2);
        List<Got> f = copy(got);
        Got a = f.get(0);
        Got b = f.get(f.size() - 1);
        return (double) Duration.between(a.time(), b.time()).toNanos() / (b.arrivedNanos() - a.arrivedNanos());
    }

    @Test
    void speedsFromAQuarterToSixteenTimes() throws Exception {
        String camera = cameraWithRun("speed");
        Session s = open(camera, Library.BASE.plusMillis(200), small());
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));

        Await.result(s.speed(4), WAIT);
        double fast = measuredSpeed(got, 1000);
        assertTrue(fast > 3.0 && fast < 5.0, "4x plays about four seconds a second: " + fast);
        assertEquals(4.0, s.status().speed());

        Await.result(s.speed(0.25), WAIT);
        double slow = measuredSpeed(got, 1200);
        assertTrue(slow > 0.15 && slow < 0.4, "0.25x plays a quarter second a second: " + slow);

        Instant from = Await.result(s.seek(Library.BASE.plusMillis(300)), WAIT);
        assertEquals(Library.BASE.plusMillis(280), from);
        Await.result(s.speed(8), WAIT);
        got.clear();
        assertTrue(Await.until(WAIT, () -> got.size() >= 5), "frames at 8x: " + got.size());
        List<Got> f = copy(got);
        for (int i = 1; i < f.size(); i++) {
            long ms = f.get(i).time().toEpochMilli() - Library.BASE.toEpochMilli();
            assertEquals(0, ms % 1000, "above 4x only keyframes are shown (one a second here): " + f.get(i).time());
        }
        double eight = (double) Duration.between(f.get(1).time(), f.get(f.size() - 1).time()).toNanos()
                / (f.get(f.size() - 1).arrivedNanos() - f.get(1).arrivedNanos());
        assertTrue(eight > 5 && eight < 11, "8x plays about eight seconds a second: " + eight);

        assertThrows(IllegalArgumentException.class, () -> s.speed(0.1));
        assertThrows(IllegalArgumentException.class, () -> s.speed(16.5));
        Await.result(s.speed(16), WAIT);
        assertEquals(16.0, s.status().speed());
    }

    @Test
    void stepShowsTheNextFrame() throws Exception {
        String camera = cameraWithRun("step");
        Instant start = Library.BASE.plusMillis(3_880);
        Session s = open(camera, start, small().paused());
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        assertEquals(start, got.get(0).time());
        got.clear();
        for (int i = 1; i <= 4; i++) {
            Instant t = Await.result(s.step(), WAIT);
            assertEquals(start.plusMillis(40L * i), t, "step " + i + " (across the boundary at 4 s)");
        }
        assertTrue(Await.until(WAIT, () -> got.size() == 4));
        assertEquals(start.plusMillis(160), last(got).time());
        assertEquals(PlaybackState.PAUSED, s.status().state());
        assertEquals(start.plusMillis(160), s.status().position());

        // playing goes on from the stepped frame; stepping while playing pauses on the next frame
        got.clear();
        Await.result(s.play(), WAIT);
        assertTrue(Await.until(WAIT, () -> reached(got, start.plusMillis(600))));
        assertEquals(start.plusMillis(160), got.get(0).time());
        Instant stepped = Await.result(s.step(), WAIT);
        assertEquals(PlaybackState.PAUSED, s.status().state());
        Instant lastShown = last(got).time();
        assertEquals(stepped, lastShown, "the stepped frame is the one on screen");
        List<Got> before = copy(got);
        Got prev = before.get(before.size() - 2);
        long after = millis(prev.time(), lastShown);
        // the next frame that reached the view (with QoS a late frame may have been dropped while playing)
        assertTrue(after == 40 || after == 80, "the frame after the one shown when paused, not " + after + " ms");
    }

    @Test
    void framesComeAtTheSizeTheViewAsksFor() throws Exception {
        String camera = cameraWithRun("size");
        Session s = open(camera, Library.BASE.plusMillis(100), small().withSize(200, 100));
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        assertEquals(200, got.get(0).width());
        assertEquals(100, got.get(0).height());
        s.resize(64, 48);
        got.clear();
        assertTrue(Await.until(WAIT, () -> !got.isEmpty() && last(got).width() == 64), "resized frames");
        assertEquals(48, last(got).height());
        assertThrows(IllegalArgumentException.class, () -> s.resize(1, 10000));

        // the public frame sink gets them too, on the scheduler
        List<VideoFrame> sunk = Collections.synchronizedList(new ArrayList<>());
        Registration r = s.frames(sunk::add);
        assertTrue(Await.until(WAIT, () -> sunk.size() >= 3));
        assertEquals(camera, sunk.get(0).cameraId());
        r.close();
        int n = sunk.size();
        Instant t = last(got).time();
        assertTrue(Await.until(WAIT, () -> reached(got, t.plusMillis(300))));
        assertTrue(sunk.size() <= n + 1, "a closed registration gets no more frames");
    }

    /**
     * A view resized again and again while it plays (a window dragged bigger): every size change is taken up, and the
     * playback never fails. Changing the picture size could fail the pipeline with "Internal data stream error" when a
     * frame of the old size reached the size filter after it had been given the new size.
     */
    @Test
    void resizingAgainAndAgainWhilePlayingNeverFailsThePlayback() throws Exception {
        String camera = cameraWithRun("resizes");
        Session s = open(camera, Library.BASE.plusMillis(100), small().withSize(160, 120));
        List<Got> got = frames(s);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        for (int i = 0; i < 40; i++) {
            int w = i % 2 == 0 ? 96 + 2 * i : 160;
            s.resize(w, w * 3 / 4);
            int seen = got.size();
            // the next frame, whatever its size (the size change may take a frame or two to arrive)
            assertTrue(Await.until(WAIT, () -> got.size() > seen || s.status().state() == PlaybackState.FAILED),
                    "frames go on after resize " + i);
            assertTrue(s.status().state() != PlaybackState.FAILED, "resize " + i + " failed the playback: "
                    + s.status().message().orElse(""));
        }
        s.resize(64, 48);
        assertTrue(Await.until(WAIT, () -> last(got).width() == 64 && last(got).height() == 48), "the last size");
        assertTrue(s.status().state() != PlaybackState.FAILED, s.status().message().orElse(""));
    }
}
