package org.vigil.storage.tests;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentState;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.StorageSettings;
import org.vigil.storage.internal.TreeListing;
import org.vigil.storage.internal.catalog.CatalogStore;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.catalog.QueryCancel;
import org.vigil.storage.internal.disk.LocalDiskPlugin;
import org.vigil.storage.internal.disk.SegmentPaths;
import org.vigil.storage.internal.probe.MediaProbe;

/**
 * The catalog benchmark behind {@code releng/bench/catalog.sh} (not a test): builds a catalog of a million rows and a
 * tree of a hundred thousand files, and measures the queries, discovery, probing and a full import. Prints
 * {@code RESULT key value} lines for the script.
 */
public final class CatalogBench {
    private static final ZoneId ZONE = ZoneId.systemDefault();

    private CatalogBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "rows" -> rows(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), true);
            case "queries" -> rows(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), false);
            case "tree" -> tree(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Arrays.copyOfRange(args, 5, args.length));
            case "discover" -> discover(Path.of(args[1]), Integer.parseInt(args[2]));
            case "probe" -> probe(Path.of(args[1]));
            case "import" -> importInPlace(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + " " + value);
    }

    /** A catalog of {@code count} one-minute segments over {@code cameras} cameras, then the query timings. */
    private static void rows(Path dir, int count, int cameras, boolean build) throws Exception {
        Files.createDirectories(dir);
        int perCamera = count / cameras;
        long minute = 60_000;
        LocalDate firstDay = LocalDate.now(ZONE).minusDays(perCamera / 1440 + 2);
        long t0ms = firstDay.atStartOfDay(ZONE).toInstant().toEpochMilli();
        long insertStart = System.nanoTime();
        try (CatalogStore store = CatalogStore.open(dir.resolve("catalog.db"), ZONE, dir.resolve("recordings"))) {
            List<NewSegment> batch = new ArrayList<>();
            for (int c = 0; c < cameras && build; c++) {
                String cam = String.format("cam%02d", c);
                long t = t0ms;
                for (int i = 0; i < perCamera; i++) {
                    if (i % 700 == 699) {
                        t += 45_000; // a reconnect now and then: a new run
                    }
                    String rel = SegmentPaths.segment(cam, LocalDateTime.ofInstant(Instant.ofEpochMilli(t), ZONE),
                            Container.MP4, i % 700 == 699 ? 1 : 0);
                    batch.add(new NewSegment(cam, t, t + minute, rel, 15_000_000, 1500, Codec.H264,
                            SegmentState.RECORDED));
                    t += minute;
                    if (batch.size() == 10_000) {
                        store.insert(batch);
                        batch.clear();
                    }
                }
            }
            store.insert(batch);
            if (!build) {
                insertStart = System.nanoTime();
            }
            double insertS = (System.nanoTime() - insertStart) / 1e9;
            result("rows", store.segmentCount());
            result("insert_rows_per_s", (long) (store.segmentCount() / insertS));
            result("insert_s", String.format("%.1f", insertS));

            Random rnd = new Random(1);
            int days = perCamera / 1440;
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] dayMs = new long[60];
            long[] dayCpu = new long[60];
            long[] dayRows = new long[60];
            for (int i = 0; i < 10 + dayMs.length; i++) {
                String cam = String.format("cam%02d", rnd.nextInt(cameras));
                LocalDate d = firstDay.plusDays(1 + rnd.nextInt(Math.max(1, days - 1)));
                SegmentQuery q = new SegmentQuery(Set.of(cam), d.atStartOfDay(ZONE).toInstant(),
                        d.plusDays(1).atStartOfDay(ZONE).toInstant(), SegmentQuery.MAX_LIMIT,
                        java.util.Optional.empty(), false);
                long s = System.nanoTime();
                long c0 = cpu.getCurrentThreadCpuTime();
                Page<Segment> p = store.segments(q, QueryCancel.NONE);
                if (i >= 10) {
                    dayMs[i - 10] = System.nanoTime() - s;
                    dayCpu[i - 10] = cpu.getCurrentThreadCpuTime() - c0;
                    dayRows[i - 10] = p.items().size();
                }
            }
            report("day", dayMs);
            report("day_cpu", dayCpu);
            result("day_rows", dayRows[0]);

            long[] pageMs = new long[200];
            long[] pageCpu = new long[200];
            long[] pageAll = new long[100];
            long[] daysMs = new long[50];
            long[] hoursMs = new long[50];
            for (int i = 0; i < 20 + pageMs.length; i++) {
                String cam = String.format("cam%02d", rnd.nextInt(cameras));
                Instant from = Instant.ofEpochMilli(t0ms + (long) (rnd.nextDouble() * perCamera * minute * 0.9));
                SegmentQuery q = SegmentQuery.of(cam, from, from.plus(Duration.ofDays(30))).withLimit(100);
                Page<Segment> first = store.segments(q, QueryCancel.NONE);
                long s = System.nanoTime();
                long c0 = cpu.getCurrentThreadCpuTime();
                Page<Segment> next = store.segments(q.after(first.next().orElseThrow()), QueryCancel.NONE);
                if (i >= 20) {
                    pageMs[i - 20] = System.nanoTime() - s;
                    pageCpu[i - 20] = cpu.getCurrentThreadCpuTime() - c0;
                }
                if (next.items().size() != 100) {
                    throw new IllegalStateException("a page held " + next.items().size());
                }
            }
            report("page", pageMs);
            report("page_cpu", pageCpu);
            for (int i = 0; i < pageAll.length; i++) {
                Instant from = Instant.ofEpochMilli(t0ms + (long) (rnd.nextDouble() * perCamera * minute * 0.9));
                SegmentQuery q = SegmentQuery.allCameras(from, from.plus(Duration.ofDays(1))).withLimit(100);
                long s = System.nanoTime();
                store.segments(q, QueryCancel.NONE);
                pageAll[i] = System.nanoTime() - s;
            }
            report("page_all_cameras", pageAll);
            for (int i = 0; i < daysMs.length; i++) {
                String cam = String.format("cam%02d", rnd.nextInt(cameras));
                long s = System.nanoTime();
                store.days(Set.of(cam), QueryCancel.NONE);
                daysMs[i] = System.nanoTime() - s;
                LocalDate d = firstDay.plusDays(1 + rnd.nextInt(Math.max(1, days - 1)));
                s = System.nanoTime();
                store.hours(cam, d.atStartOfDay(ZONE).toInstant(), d.plusDays(1).atStartOfDay(ZONE).toInstant(),
                        QueryCancel.NONE);
                hoursMs[i] = System.nanoTime() - s;
            }
            report("days", daysMs);
            report("hours", hoursMs);
            long s = System.nanoTime();
            store.totals(QueryCancel.NONE);
            result("totals_ms", String.format("%.1f", (System.nanoTime() - s) / 1e6));
        }
        result("db_mb", Files.size(dir.resolve("catalog.db")) >> 20);
    }

    private static void report(String key, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        result(key + "_p50_ms", String.format("%.2f", sorted[sorted.length / 2] / 1e6));
        result(key + "_p95_ms", String.format("%.2f", sorted[(int) (sorted.length * 0.95)] / 1e6));
        result(key + "_max_ms", String.format("%.2f", sorted[sorted.length - 1] / 1e6));
    }

    /** {@code files} hard links of the given recordings in the layout, over cameras and days. */
    private static void tree(Path root, int files, int cameras, int days, String[] media) throws Exception {
        int perFolder = files / (cameras * days);
        LocalDate first = LocalDate.now(ZONE).minusDays(days + 1);
        int n = 0;
        for (int c = 0; c < cameras; c++) {
            for (int d = 0; d < days; d++) {
                Path folder = Files.createDirectories(root.resolve(String.format("cam%02d", c))
                        .resolve(SegmentPaths.dayFolder(first.plusDays(d))));
                for (int i = 0; i < perFolder; i++) {
                    int sec = (int) ((long) i * 86_400 / perFolder);
                    String name = String.format("%02d%02d%02d.mp4", sec / 3600, sec / 60 % 60, sec % 60);
                    Files.createLink(folder.resolve(name), Path.of(media[n++ % media.length]));
                }
            }
        }
        result("tree_files", n);
    }

    /**
     * The listing a check does, {@code runs} times in this fresh JVM: the first run (what a one-shot {@code vigil
     * storage check} sees, JIT cold) and the median of the others (a long-running instance).
     */
    private static void discover(Path root, int runs) throws Exception {
        LocalDiskPlugin plugin = new LocalDiskPlugin();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] times = new long[runs];
        long[] cpus = new long[runs];
        long count = 0;
        for (int r = 0; r < runs; r++) {
            long s = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            count = 0;
            for (String cam : TreeListing.cameras(plugin, root, new ArrayList<>())) {
                count += TreeListing.camera(plugin, root, cam).fileCount();
            }
            times[r] = System.nanoTime() - s;
            cpus[r] = cpu.getCurrentThreadCpuTime() - c0;
        }
        result("discovered", count);
        result("discover_first_ms", String.format("%.0f", times[0] / 1e6));
        result("discover_first_cpu_ms", String.format("%.0f", cpus[0] / 1e6));
        long[] warm = Arrays.copyOfRange(times, 1, runs);
        long[] warmCpu = Arrays.copyOfRange(cpus, 1, runs);
        Arrays.sort(warm);
        Arrays.sort(warmCpu);
        result("discover_warm_ms", String.format("%.0f", warm[warm.length / 2] / 1e6));
        result("discover_warm_cpu_ms", String.format("%.0f", warmCpu[warmCpu.length / 2] / 1e6));
    }

    /** Opens and probes every file of the tree on one thread (what a check does for files without rows). */
    private static void probe(Path root) throws Exception {
        LocalDiskPlugin plugin = new LocalDiskPlugin();
        List<String> files = new ArrayList<>();
        for (String cam : TreeListing.cameras(plugin, root, new ArrayList<>())) {
            files.addAll(TreeListing.camera(plugin, root, cam).files());
        }
        for (int i = 0; i < Math.min(3000, files.size()); i++) {
            try (FileChannel ch = plugin.openRead(root, files.get(i))) {
                MediaProbe.probe(ch); // warm-up
            }
        }
        long s = System.nanoTime();
        long playable = 0;
        for (String f : files) {
            try (FileChannel ch = plugin.openRead(root, f)) {
                if (MediaProbe.probe(ch).playable()) {
                    playable++;
                }
            }
        }
        double secs = (System.nanoTime() - s) / 1e9;
        result("probed", files.size());
        result("probed_playable", playable);
        result("probe_files_per_s", (long) (files.size() / secs));
    }

    /** {@code vigil storage import} of the tree in place on a new catalog: discovery, probing, inserting. */
    private static void importInPlace(Path data, Path root) throws Exception {
        DrillRuntime runtime = new DrillRuntime();
        StorageSettings settings = new StorageSettings(root, new RetentionSettings(0, 0, Duration.ofSeconds(1), 0,
                Duration.ofHours(1)), Duration.ofHours(1), ZONE, false);
        RecordingStore store = new RecordingStore(data, runtime, runtime, settings);
        store.addPlugin(new LocalDiskPlugin(), Map.of());
        store.refreshStatus();
        long s = System.nanoTime();
        var job = store.importTree(root, false);
        job.await(Duration.ofHours(1));
        CheckReport r = job.result().toCompletableFuture().get();
        double secs = (System.nanoTime() - s) / 1e9;
        result("import_files", r.filesSeen());
        result("import_catalogued", r.catalogued());
        result("import_s", String.format("%.1f", secs));
        result("import_files_per_s", (long) (r.catalogued() / secs));
        store.close();
        System.exit(0);
    }
}
