package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.CameraTotals;
import org.vigil.api.storage.CatalogChange;
import org.vigil.api.storage.CatalogSession;
import org.vigil.api.storage.DayCoverage;
import org.vigil.api.storage.Gap;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentState;
import org.vigil.testing.Await;

/** Query correctness and keyset pagination on a real SQLite catalog of real files. */
class CatalogQueryTest {
    @InjectService(timeout = 5000)
    static Scheduler scheduler;
    @InjectService(timeout = 5000)
    static JobRunner jobs;

    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    static Path dir;
    static Fixture f;
    static Instant day0;
    static long size;

    @BeforeAll
    static void catalogueThreeDaysOfMinuteSegments() throws Exception {
        dir = TestDirs.fresh("query");
        f = Fixture.open(dir, scheduler, jobs);
        day0 = LocalDate.now(Fixture.ZONE).minusDays(5).atStartOfDay(Fixture.ZONE).toInstant();
        f.bulk("q1", day0, 3 * 1440, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        size = Files.size(Media.get(Media.FRAGMENTED));
    }

    @AfterAll
    static void close() throws Exception {
        f.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void pagesVisitEverySegmentOnceInOrderBothWays() {
        SegmentQuery q = SegmentQuery.of("q1", day0, day0.plus(Duration.ofDays(3))).withLimit(100);
        List<Segment> all = new ArrayList<>();
        long[] times = new long[50];
        int pages = 0;
        for (Page<Segment> p = f.store.segments(q);; p = f.store.segments(q.after(p.next().get()))) {
            all.addAll(p.items());
            if (pages < times.length) {
                long t0 = CPU.getCurrentThreadCpuTime();
                f.store.segments(q.after(PageCursor.after(p.items().get(0))));
                times[pages] = CPU.getCurrentThreadCpuTime() - t0;
            }
            pages++;
            if (p.next().isEmpty()) {
                break;
            }
        }
        assertEquals(3 * 1440, all.size());
        assertEquals(44, pages);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            assertTrue(ids.add(all.get(i).id()), "no segment twice");
            assertEquals(day0.plus(Duration.ofMinutes(i)), all.get(i).start(), "in start order");
        }
        Arrays.sort(times);
        assertTrue(times[times.length / 2] < 20_000_000L, "a page of 100 took " + times[times.length / 2] / 1e6
                + " ms of CPU");

        List<Segment> back = new ArrayList<>();
        SegmentQuery newest = q.newestFirst(true).withLimit(333);
        for (Page<Segment> p = f.store.segments(newest);; p = f.store.segments(newest.after(p.next().get()))) {
            back.addAll(p.items());
            if (p.next().isEmpty()) {
                break;
            }
        }
        assertEquals(all.size(), back.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i).id(), back.get(back.size() - 1 - i).id());
        }
        Segment s = all.get(0);
        assertEquals(f.root.resolve(s.relativePath()), s.path());
        assertEquals(size, s.bytes());
        assertEquals(SegmentState.RECORDED, s.state());
    }

    @Test
    void aRangeIncludesSegmentsReachingOverItsEdges() {
        Instant ten = LocalDate.ofInstant(day0, Fixture.ZONE).plusDays(1).atTime(LocalTime.of(10, 0))
                .atZone(Fixture.ZONE).toInstant();
        Page<Segment> p = f.store.segments(SegmentQuery.of("q1", ten.plusSeconds(30), ten.plusSeconds(150)));
        assertEquals(List.of(ten, ten.plusSeconds(60), ten.plusSeconds(120)),
                p.items().stream().map(Segment::start).toList());
        assertTrue(p.next().isEmpty());
        assertTrue(f.store.segments(SegmentQuery.of("nobody", day0, ten)).items().isEmpty());
    }

    @Test
    void equalStartsAcrossCamerasAreNeitherSkippedNorRepeated() throws Exception {
        Instant t = day0.minus(Duration.ofDays(3));
        f.bulk("q2a", t, 50, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        f.bulk("q2b", t, 50, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        SegmentQuery q = new SegmentQuery(Set.of("q2a", "q2b"), t, t.plus(Duration.ofHours(1)), 7, Optional.empty(),
                false);
        List<Segment> all = new ArrayList<>();
        for (Page<Segment> p = f.store.segments(q);; p = f.store.segments(q.after(p.next().get()))) {
            all.addAll(p.items());
            if (p.next().isEmpty()) {
                break;
            }
        }
        assertEquals(100, all.size());
        assertEquals(100, all.stream().map(Segment::id).distinct().count());
        SegmentQuery every = SegmentQuery.allCameras(t, t.plus(Duration.ofHours(1))).withLimit(1000);
        assertEquals(100, f.store.segments(every).items().size(), "all cameras: both of them, nothing else");
    }

    @Test
    void daysHoursGapsAndTotals() throws Exception {
        Instant noon = LocalDate.ofInstant(day0, Fixture.ZONE).minusDays(1).atTime(12, 0).atZone(Fixture.ZONE)
                .toInstant();
        f.bulk("q3", noon, 30, Duration.ofMinutes(1), Duration.ZERO, Media.FRAGMENTED);
        f.bulk("q3", noon.plus(Duration.ofMinutes(40)), 10, Duration.ofMinutes(1), Duration.ofMillis(500),
                Media.FRAGMENTED);

        List<DayCoverage> days = f.store.days(Set.of("q1"));
        assertEquals(3, days.size());
        for (DayCoverage d : days) {
            assertEquals(1440, d.segments());
            assertEquals(Duration.ofHours(24), d.recorded());
            assertEquals(1440 * size, d.bytes());
        }
        assertEquals(LocalDate.ofInstant(day0, Fixture.ZONE), days.get(0).day());

        List<HourCoverage> hours = f.store.hours("q3", noon, noon.plus(Duration.ofHours(2)));
        assertEquals(2, hours.size());
        HourCoverage h12 = hours.get(0);
        assertEquals(30 * 60_000 + 9 * 60_500 + 60_000, h12.recorded().toMillis(),
                "40 minutes and 4.5 s recorded: gaps of half a second between segments do not count");
        assertEquals(List.of(new Gap(noon.plus(Duration.ofMinutes(30)), noon.plus(Duration.ofMinutes(40))),
                new Gap(noon.plus(Duration.ofMillis(50 * 60_000 + 9 * 500)), noon.plus(Duration.ofHours(1)))),
                h12.gaps());
        assertEquals(0, hours.get(1).recorded().toMillis());
        assertEquals(1, hours.get(1).gaps().size());

        CameraTotals t = f.store.totals().stream().filter(x -> x.cameraId().equals("q3")).findFirst().orElseThrow();
        assertEquals(40, t.segments());
        assertEquals(40 * size, t.bytes());
        assertEquals(Duration.ofMinutes(40), t.recorded());
        assertEquals(noon, t.oldest().orElseThrow());
        assertTrue(f.store.cameras().containsAll(List.of("q1", "q3")));

        assertTrue(f.store.segmentAt("q3", noon.plus(Duration.ofMinutes(35))).isEmpty(), "inside the gap");
        assertEquals(noon.plus(Duration.ofMinutes(15)),
                f.store.segmentAt("q3", noon.plus(Duration.ofSeconds(15 * 60 + 30))).orElseThrow().start());
    }

    @Test
    void theNewestRequestOfASessionSupersedesTheOlderOnes() throws Exception {
        CatalogSession session = f.store.session();
        List<CompletableFuture<Page<Segment>>> stages = new ArrayList<>();
        SegmentQuery q = SegmentQuery.of("q1", day0, day0.plus(Duration.ofDays(3))).withLimit(2000);
        for (int i = 0; i < 30; i++) {
            stages.add(session.segments(q).toCompletableFuture());
        }
        Page<Segment> last = stages.get(29).get(10, TimeUnit.SECONDS);
        assertEquals(2000, last.items().size());
        int cancelled = 0;
        for (int i = 0; i < 29; i++) {
            CompletableFuture<Page<Segment>> s = stages.get(i);
            assertTrue(s.isDone(), "an older request is finished or cancelled when a newer one has completed");
            if (s.isCompletedExceptionally()) {
                assertThrows(CancellationException.class, s::join, "superseded, not failed");
                cancelled++;
            }
        }
        assertTrue(cancelled >= 20, "superseded requests were cancelled, not run: " + cancelled + " of 29");
        session.close();
        CompletionException closed = assertThrows(CompletionException.class,
                () -> session.totals().toCompletableFuture().join());
        assertTrue(closed.getCause() instanceof IllegalStateException);

        CatalogSession other = f.store.session();
        assertEquals(3, other.days(Set.of("q1")).toCompletableFuture().get(10, TimeUnit.SECONDS).size());
        other.close();
    }

    @Test
    void announcedSegmentsAreCataloguedAndListenersHearOfThem() throws Exception {
        List<CatalogChange> heard = new CopyOnWriteArrayList<>();
        Registration r = f.store.onChange(heard::add);
        Instant t = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(f.record("live1", t.plusSeconds(4L * i), Duration.ofSeconds(4), Media.FRAGMENTED, 100));
        }
        assertTrue(Await.until(Duration.ofSeconds(10),
                () -> f.store.segments(SegmentQuery.of("live1", t, t.plusSeconds(60))).items().size() == 5));
        assertTrue(Await.until(Duration.ofSeconds(5), () -> heard.stream().mapToLong(CatalogChange::added).sum() == 5));
        assertTrue(heard.stream().allMatch(c -> c.cameras().equals(Set.of("live1"))));
        assertEquals(0, f.store.segmentsBeingWritten());
        List<Segment> segs = f.store.segments(SegmentQuery.of("live1", t, t.plusSeconds(60))).items();
        for (int i = 0; i < 5; i++) {
            assertEquals(files.get(i), segs.get(i).path());
            assertEquals(Files.size(files.get(i)), segs.get(i).bytes());
            assertEquals(100, segs.get(i).frames());
        }
        assertEquals(1, f.store.store().runs("live1").size(), "contiguous segments make one run");
        r.close();
        assertFalse(f.store.days(Set.of("live1")).isEmpty());
    }
}
