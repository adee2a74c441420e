package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackState;
import org.vigil.testing.Await;

/** Damaged, truncated and vanishing recordings: left out with a note, playback goes on, never a hang. */
class BadInputTest extends PlaybackTestBase {

    /** A camera with three contiguous segments whose middle one is {@code middle} instead of a good recording. */
    private String cameraWithMiddle(String purpose, Path middle) throws Exception {
        String camera = Library.camera(purpose);
        List<Path> media = Media.segments("run3x4s", 3, 4, GOP_FRAMES);
        library.add(camera, Library.BASE, media.get(0), Duration.ofSeconds(4), 100);
        library.add(camera, Library.BASE.plusSeconds(4), middle, Duration.ofSeconds(4), 100);
        library.add(camera, Library.BASE.plusSeconds(8), media.get(2), Duration.ofSeconds(4), 100);
        library.await(camera, 3);
        return camera;
    }

    @Test
    void aTruncatedSegmentPlaysWhatItHoldsThenPlaybackGoesOn() throws Exception {
        Path good = Media.segments("run3x4s", 3, 4, GOP_FRAMES).get(1);
        // cut inside the third fragment, as a crash or a full disk leaves it
        Path cut = Media.cut(good, Files.size(good) * 55 / 100, Media.work("cut"));
        String camera = cameraWithMiddle("truncated", cut);
        Session s = open(camera, Library.BASE.plusMillis(3_000), small());
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        Instant third = Library.BASE.plusSeconds(8);
        assertTrue(Await.until(WAIT, () -> reached(got, third.plusMillis(200))), "playback reaches the segment"
                + " after the damaged one: " + last(got));
        assertTrue(Await.until(WAIT, () -> event(events, e -> e.kind() == PlaybackEvent.Kind.SEGMENT_ENDS_EARLY)
                != null), events.toString());
        PlaybackEvent note = event(events, e -> e.kind() == PlaybackEvent.Kind.SEGMENT_ENDS_EARLY);
        assertTrue(note.message().startsWith("The recording " + camera + "/"), note.message());
        assertTrue(note.message().contains("ends at") && note.message().contains("cut off"), note.message());
        List<Got> f = copy(got);
        long fromCut = f.stream().filter(g -> !g.time().isBefore(Library.BASE.plusSeconds(4))
                && g.time().isBefore(third)).count();
        assertTrue(fromCut >= 25 && fromCut < 100, "the complete part of the cut segment was shown: " + fromCut);
        assertNotNull(at(f, third), "and the next segment from its first frame");
        assertEquals(PlaybackState.PLAYING, s.status().state());
    }

    @Test
    void aCorruptSegmentIsSkippedWithANote() throws Exception {
        Path garbage = Media.work("garbage").resolve("garbage.mp4");
        byte[] junk = new byte[50_000];
        new java.util.Random(7).nextBytes(junk);
        Files.write(garbage, junk);
        String camera = cameraWithMiddle("corrupt", garbage);
        Session s = open(camera, Library.BASE.plusMillis(3_000), small());
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        Instant third = Library.BASE.plusSeconds(8);
        assertTrue(Await.until(WAIT, () -> reached(got, third.plusMillis(200))), "playback goes on after it");
        PlaybackEvent note = event(events, e -> e.kind() == PlaybackEvent.Kind.SEGMENT_SKIPPED);
        assertNotNull(note, events.toString());
        assertTrue(note.message().contains("cannot be played") && note.message().endsWith("it is left out."),
                note.message());
        assertTrue(copy(got).stream().noneMatch(g -> !g.time().isBefore(Library.BASE.plusSeconds(4))
                && g.time().isBefore(third)), "nothing from the corrupt file");
        assertNotNull(event(events, e -> e.kind() == PlaybackEvent.Kind.GAP_SKIPPED), "its time is jumped over");

        // opening on it: the same, at once
        Session t = open(camera, Library.BASE.plusMillis(5_000), small().paused());
        List<Got> first = frames(t);
        assertTrue(Await.until(WAIT, () -> !first.isEmpty()));
        assertEquals(third, first.get(0).time());
    }

    @Test
    void aFileRemovedWhilePlayingEndsThatPartCleanly() throws Exception {
        String camera = cameraWithRun("removed");
        List<org.vigil.api.storage.Segment> segs = library.await(camera, 3);
        Session s = open(camera, Library.BASE.plusMillis(2_000), small());
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        assertTrue(Await.until(WAIT, () -> reached(got, Library.BASE.plusMillis(2_300))));
        // the file playing now stays readable while open; the last one disappears before playback gets there
        Files.delete(segs.get(0).path());
        Files.delete(segs.get(2).path());
        assertTrue(Await.until(WAIT, () -> s.status().state() == PlaybackState.ENDED), s.status().toString());
        assertTrue(reached(got, Library.BASE.plusMillis(7_900)), "the open file and the next one played to the end");
        PlaybackEvent note = event(events, e -> e.kind() == PlaybackEvent.Kind.SEGMENT_SKIPPED);
        assertNotNull(note, events.toString());
        assertTrue(note.message().contains("no longer on disk"), note.message());
        assertTrue(copy(got).stream().noneMatch(g -> !g.time().isBefore(Library.BASE.plusSeconds(8))));
        // seeking back to the removed part lands on what is still there
        got.clear();
        Instant t = Await.result(s.seek(Library.BASE.plusMillis(1_000)), WAIT);
        assertEquals(Library.BASE.plusSeconds(4), t, "the first recording still on disk");
    }
}
