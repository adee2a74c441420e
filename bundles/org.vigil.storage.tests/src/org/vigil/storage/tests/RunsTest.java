package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.storage.HourCoverage;
import org.vigil.api.storage.SegmentState;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.catalog.SegmentRow;

/**
 * The run table (continuous recording, for timelines) is maintained incrementally on every insert and deletion; after
 * any sequence of them it must equal the runs computed from scratch from the segments.
 */
class RunsTest {
    @InjectService(timeout = 5000)
    Scheduler scheduler;
    @InjectService(timeout = 5000)
    JobRunner jobs;

    @Test
    void incrementalRunsEqualRunsComputedFromTheSegments() throws Exception {
        Path dir = TestDirs.fresh("runs");
        try (Fixture f = Fixture.open(dir, scheduler, jobs)) {
            CatalogStore store = f.store.store();
            Random rnd = new Random(42);
            long base = Instant.parse("2026-01-10T00:00:00Z").toEpochMilli();
            TreeMap<Integer, Long> slots = new TreeMap<>(); // slot -> duration ms
            for (int round = 0; round < 300; round++) {
                int op = rnd.nextInt(10);
                if (op < 6 || slots.size() < 5) {
                    List<NewSegment> batch = new ArrayList<>();
                    for (int k = 1 + rnd.nextInt(6); k > 0; k--) {
                        int slot = rnd.nextInt(400);
                        long dur = switch (rnd.nextInt(4)) {
                            case 0 -> 55_000; // a 5 s gap after it: a break
                            case 1 -> 59_500; // half a second: still continuous
                            default -> 60_000;
                        };
                        slots.put(slot, dur);
                        batch.add(row(base, slot, dur));
                    }
                    store.insert(batch);
                } else {
                    List<Integer> keys = new ArrayList<>(slots.keySet());
                    List<SegmentRow> rows = new ArrayList<>();
                    int from = rnd.nextInt(keys.size());
                    int n = 1 + rnd.nextInt(op == 9 ? 40 : 4);
                    for (int k = from; k < Math.min(keys.size(), from + n); k++) {
                        rows.add(store.rowByPath(path(keys.get(k))).orElseThrow());
                        slots.remove(keys.get(k));
                    }
                    List<SegmentRow> gone = store.markGarbage(rows);
                    store.forgetGarbage(gone.stream().map(SegmentRow::path).toList());
                }
                assertEquals(expected(base, slots), actual(store), "after round " + round);
            }
            // the timeline agrees too: recorded time per hour is the union of the segments
            List<HourCoverage> hours = f.store.hours("runs", Instant.ofEpochMilli(base),
                    Instant.ofEpochMilli(base + 400 * 60_000L));
            long recorded = hours.stream().mapToLong(h -> h.recorded().toMillis()).sum();
            long union = expected(base, slots).stream().mapToLong(r -> r.get(1) - r.get(0)).sum();
            assertEquals(union, recorded);
            store.rebuildRuns();
            assertEquals(expected(base, slots), actual(store), "a rebuild gives the same runs");
        }
        TestDirs.deleteTree(dir);
    }

    private static String path(int slot) {
        return "runs/20260110/" + String.format("%06d", slot) + ".mp4";
    }

    private static NewSegment row(long base, int slot, long dur) {
        long s = base + slot * 60_000L;
        return new NewSegment("runs", s, s + dur, path(slot), 1000, 25, Codec.H264, SegmentState.RECORDED);
    }

    private static List<List<Long>> expected(long base, TreeMap<Integer, Long> slots) {
        List<long[]> runs = new ArrayList<>();
        for (var e : slots.entrySet()) {
            long s = base + e.getKey() * 60_000L;
            long end = s + e.getValue();
            long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && s <= last[1] + CatalogStore.CONTIGUITY_MS) {
                last[1] = Math.max(last[1], end);
            } else {
                runs.add(new long[] {s, end});
            }
        }
        return runs.stream().map(r -> List.of(r[0], r[1])).toList();
    }

    private static List<List<Long>> actual(CatalogStore store) throws Exception {
        return store.runs("runs").stream().map(r -> List.of(r[0], r[1])).toList();
    }

}
