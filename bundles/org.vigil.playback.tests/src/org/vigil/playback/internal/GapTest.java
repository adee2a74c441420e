package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.playback.GapPolicy;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackException;
import org.vigil.api.playback.PlaybackState;
import org.vigil.api.playback.PlaybackStatus;
import org.vigil.testing.Await;

/** Stretches without recording: jumped over by default, or a stop that says when recording resumes. */
class GapTest extends PlaybackTestBase {
    static final Duration GAP = Duration.ofSeconds(8);
    /** the first run is 0..12 s, the second 20..32 s */
    static final Instant GAP_START = Library.BASE.plusSeconds(12);
    static final Instant NEXT = GAP_START.plus(GAP);

    static String clock(Instant t) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").format(t.atZone(ZoneId.systemDefault()));
    }

    @Test
    void byDefaultPlaybackJumpsToTheNextRecording() throws Exception {
        String camera = cameraWithRuns("jump", GAP);
        Session s = open(camera, GAP_START.minusMillis(600), small());
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        assertTrue(Await.until(WAIT, () -> reached(got, NEXT.plusMillis(200))), "frames after the gap");
        List<Got> f = copy(got);
        Got before = null;
        Got after = null;
        for (int i = 1; i < f.size(); i++) {
            if (f.get(i - 1).time().isBefore(GAP_START) && !f.get(i).time().isBefore(NEXT)) {
                before = f.get(i - 1);
                after = f.get(i);
            }
        }
        assertNotNull(after, "the frame before the gap is followed by the first frame after it");
        assertEquals(GAP_START.minusMillis(40), before.time());
        assertEquals(NEXT, after.time());
        long waitedMs = (after.arrivedNanos() - before.arrivedNanos()) / 1_000_000;
        assertTrue(waitedMs < 1500, "the 8 s gap is not waited through (" + waitedMs + " ms)");
        assertTrue(Await.until(WAIT, () -> event(events, e -> e.kind() == PlaybackEvent.Kind.GAP_SKIPPED) != null));
        PlaybackEvent e = event(events, x -> x.kind() == PlaybackEvent.Kind.GAP_SKIPPED);
        assertEquals(GAP_START, e.time());
        assertTrue(e.message().contains(clock(NEXT)), e.message());
        assertEquals(PlaybackState.PLAYING, s.status().state());
    }

    @Test
    void withStopPlaybackSaysWhenTheNextRecordingStarts() throws Exception {
        String camera = cameraWithRuns("stop", GAP);
        Session s = open(camera, GAP_START.minusMillis(600), small().withGaps(GapPolicy.STOP));
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        assertTrue(Await.until(WAIT, () -> s.status().state() == PlaybackState.NO_RECORDING), s.status()
                .toString());
        PlaybackStatus st = s.status();
        assertEquals(GAP_START, st.position());
        assertEquals(NEXT, st.nextRecording().orElseThrow());
        assertEquals("No recording until " + clock(NEXT) + ".", st.message().orElseThrow());
        assertTrue(Await.until(WAIT, () -> event(events, e -> e.kind() == PlaybackEvent.Kind.NO_RECORDING) != null));
        assertTrue(copy(got).stream().noneMatch(g -> !g.time().isBefore(GAP_START)), "nothing shown past the gap");

        // playing again goes on at the next recording
        got.clear();
        assertEquals(NEXT, Await.result(s.play(), WAIT));
        assertTrue(Await.until(WAIT, () -> reached(got, NEXT.plusMillis(200))));
        assertEquals(NEXT, got.get(0).time());
        assertEquals(PlaybackState.PLAYING, s.status().state());
    }

    @Test
    void openingInAGapJumpsOrStopsThere() throws Exception {
        String camera = cameraWithRuns("opengap", GAP);
        Instant inGap = GAP_START.plusSeconds(3);
        Session jump = open(camera, inGap, small().paused());
        List<Got> got = frames(jump);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty()));
        assertEquals(NEXT, got.get(0).time(), "the first frame is the next recording's");
        assertTrue(Await.until(WAIT, () -> jump.status().state() == PlaybackState.PAUSED), jump.status().toString());
        assertEquals(NEXT, jump.status().position());

        Session stop = open(camera, inGap, small().withGaps(GapPolicy.STOP));
        assertTrue(Await.until(WAIT, () -> stop.status().state() == PlaybackState.NO_RECORDING));
        assertEquals("No recording until " + clock(NEXT) + ".", stop.status().message().orElseThrow());
        assertEquals(inGap, stop.status().position());
    }

    @Test
    void aTimeWithoutRecordingGivesAClearMessage() throws Exception {
        String camera = cameraWithRun("norec");
        Instant after = Library.BASE.plusSeconds(60);
        PlaybackException e = assertThrows(PlaybackException.class, () -> service.open(camera, after));
        assertTrue(e.getMessage().startsWith("Camera " + camera + " has no recording at or after"), e.getMessage());
        assertTrue(e.getMessage().contains(clock(Library.BASE.plusSeconds(12))), "it says where the last one ends: "
                + e.getMessage());
        PlaybackException none = assertThrows(PlaybackException.class,
                () -> service.open(Library.camera("never"), Library.BASE));
        assertTrue(none.getMessage().endsWith("has no recordings."), none.getMessage());
        assertThrows(PlaybackException.class, () -> service.open("Bad Id", Library.BASE));
        assertThrows(PlaybackException.class, () -> service.open(List.of("a", "b", "c", "d", "e"), Library.BASE,
                small()));

        // playing into the end of the recordings ends cleanly with a sentence
        Session s = open(camera, Library.BASE.plusMillis(11_400), small());
        List<PlaybackEvent> events = events(s);
        assertTrue(Await.until(WAIT, () -> s.status().state() == PlaybackState.ENDED), s.status().toString());
        assertEquals("No recording after " + clock(Library.BASE.plusSeconds(12)) + ".",
                s.status().message().orElseThrow());
        assertTrue(Await.until(WAIT, () -> event(events,
                x -> x.kind() == PlaybackEvent.Kind.END_OF_RECORDINGS) != null));
    }
}
