package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackState;
import org.vigil.testing.Await;

/** Up to four cameras at one wall-clock time, controlled by one session. */
class SyncTest extends PlaybackTestBase {

    /** For frames of {@code a} and {@code b} recorded at the same instant: how far apart they arrived (ms). */
    private static List<Long> skew(List<Got> got, String a, String b, Instant from) {
        Map<Instant, Long> first = new HashMap<>();
        List<Long> out = new ArrayList<>();
        for (Got g : copy(got)) {
            if (g.camera().equals(a) && !g.time().isBefore(from)) {
                first.put(g.time(), g.arrivedNanos());
            }
        }
        for (Got g : copy(got)) {
            Long t = first.get(g.time());
            if (g.camera().equals(b) && t != null) {
                out.add(Math.abs(g.arrivedNanos() - t) / 1_000_000);
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void camerasPlayInStepUnderOneSession() throws Exception {
        List<Path> media = Media.segments("run3x4s", 3, 4, GOP_FRAMES);
        String a = Library.camera("synca");
        String b = Library.camera("syncb");
        String c = Library.camera("syncc");
        library.addRun(a, Library.BASE, media, 4);
        library.addRun(b, Library.BASE.plusSeconds(2), media, 4);  // starts two seconds later
        library.addRun(c, Library.BASE, media.subList(0, 2), 4);   // ends four seconds earlier
        library.await(a, 3);
        library.await(b, 3);
        library.await(c, 2);

        Session s = open(List.of(a, b, c), Library.BASE.plusMillis(1_000), small());
        List<Got> got = frames(s);
        List<PlaybackEvent> events = events(s);
        Instant bStart = Library.BASE.plusSeconds(2);
        assertTrue(Await.until(WAIT, () -> copy(got).stream().anyMatch(g -> g.camera().equals(b)
                && !g.time().isBefore(bStart.plusMillis(1_500)))), "camera b joined when its recording starts");
        Got bFirst = copy(got).stream().filter(g -> g.camera().equals(b)).findFirst().orElseThrow();
        assertEquals(bStart, bFirst.time(), "b's first frame is its first recorded one, shown when its time came");
        List<Long> sk = skew(got, a, b, bStart);
        assertTrue(sk.size() > 20, "frames of the same instant: " + sk.size());
        assertTrue(sk.get(sk.size() / 2) <= 20, "a and b show the same instant together (median skew "
                + sk.get(sk.size() / 2) + " ms)");
        assertTrue(sk.get(sk.size() * 9 / 10) <= 60, "90% within 60 ms: " + sk);

        // one seek and one speed for all of them
        got.clear();
        Instant target = Library.BASE.plusMillis(7_000);
        assertEquals(target, Await.result(s.seek(target), WAIT));
        Await.result(s.speed(2), WAIT);
        assertTrue(Await.until(WAIT, () -> reached(got, target.plusMillis(1_000))
                && copy(got).stream().anyMatch(g -> g.camera().equals(c))
                && copy(got).stream().anyMatch(g -> g.camera().equals(b))));
        for (String cam : List.of(a, b, c)) {
            // (frames still on their way when the seek was asked for may come first; they are earlier)
            Got first = copy(got).stream().filter(g -> g.camera().equals(cam) && !g.time().isBefore(
                    target.minusMillis(40))).findFirst().orElseThrow();
            assertTrue(Math.abs(millis(target, first.time())) <= 40, cam + " starts at the seek target: " + first);
        }
        List<Long> after = skew(got, a, b, target.plusMillis(200));
        assertTrue(after.get(after.size() / 2) <= 20, "still in step after seek and 2x: " + after);
        // c runs out at 8 s: the session says so and plays on with the others
        assertTrue(Await.until(WAIT, () -> event(events, e -> e.kind() == PlaybackEvent.Kind.NO_RECORDING
                && e.cameraId().equals(c)) != null), events.toString());
        assertEquals(PlaybackState.PLAYING, s.status().state());
        assertEquals(2.0, s.status().speed());

        // pause and play keep them in step without decoding again
        Await.result(s.pause(), WAIT);
        Instant paused = s.status().position();
        got.clear();
        Await.result(s.play(), WAIT);
        assertTrue(Await.until(WAIT, () -> reached(got, paused.plusMillis(800))));
        List<Long> resumed = skew(got, a, b, paused);
        assertTrue(resumed.get(resumed.size() / 2) <= 20, "in step after pause and play: " + resumed);
        assertNotNull(s.status());
        assertEquals(Duration.ofSeconds(14), s.status().recorded().duration(), "from a's start to b's end");
    }
}
