package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
import org.vigil.api.storage.ClosedSegment;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * The wall clock is set forward to four seconds before midnight while a camera records 60 s segments: the jump is
 * detected (a cut at the next keyframe, the new segment named by the new time), and at midnight the segment is cut
 * again so that the new day's recording starts in the new day's folder. The segments stay contiguous across the
 * midnight cut.
 */
class ClockTest {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    @InjectBundleContext
    static BundleContext context;

    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, ClockTest.class);
        h = new Harness(context, "clock");
    }

    @AfterAll
    static void stop() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aClockJumpAndMidnightCutTheSegment() throws Exception {
        String id = "clock";
        h.add(id, DemoCam.url(context, "url.h264"), "segmentSeconds", 60);
        h.awaitState(id, CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> TestAccess.numbers(h.cameras, id).orElseThrow()
                .writing()));
        ZoneId zone = ZoneId.systemDefault();
        Instant now = Instant.now();
        LocalDate tomorrow = LocalDate.now(zone).plusDays(1);
        Instant midnight = tomorrow.atStartOfDay(zone).toInstant();
        Duration ahead = Duration.between(now, midnight.minusSeconds(4));
        Clock shifted = Clock.offset(Clock.systemDefaultZone(), ahead);
        TestAccess.clock(h.cameras, id, shifted);
        // the cut at the jump, then the cut at midnight; the new day's segment gets a second of video
        assertTrue(Await.until(Duration.ofSeconds(15), () -> h.segments(id).size() >= 2), h.history(id));
        assertTrue(Await.until(Duration.ofSeconds(10), () -> shifted.instant().isAfter(midnight.plusMillis(2500))));
        h.remove(id);
        List<ClosedSegment> segs = h.segments(id);
        assertEquals(3, segs.size(), "before the jump, before midnight, after midnight: " + segs);
        ClosedSegment before = segs.get(1);
        ClosedSegment after = segs.get(2);
        LocalDateTime beforeStart = LocalDateTime.ofInstant(before.start(), zone);
        assertEquals(tomorrow.minusDays(1), beforeStart.toLocalDate());
        assertTrue(beforeStart.getHour() == 23 && beforeStart.getMinute() == 59 && beforeStart.getSecond() >= 55,
                "named by the new time: " + beforeStart);
        assertEquals(before.end(), after.start(), "no gap at midnight");
        assertTrue(!after.start().isBefore(midnight) && after.start().isBefore(midnight.plusMillis(1500)),
                "cut at the first keyframe after midnight: " + after.start());
        Path file = after.path();
        assertEquals(tomorrow.format(DAY), file.getParent().getFileName().toString(), "in the new day's folder");
        assertTrue(file.getFileName().toString().startsWith("0000"), file.toString());
        for (ClosedSegment s : segs) {
            Media.Probe p = Media.probe(s.path());
            assertTrue(p.playable() && p.firstIsKey(), s.path() + ": " + p);
        }
    }
}
