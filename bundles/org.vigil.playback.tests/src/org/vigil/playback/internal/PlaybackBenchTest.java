package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.playback.ExportReport;
import org.vigil.api.playback.ExportRequest;
import org.vigil.api.playback.PlaybackOptions;
import org.vigil.api.storage.DeletionRequest;
import org.vigil.api.storage.SegmentSelection;
import org.vigil.testing.Await;

/**
 * The measurements of {@code releng/bench/playback.sh} (skipped unless the framework property
 * {@code vigil.playback.bench} names a folder of segments, or {@code vigil.playback.soak} a cycle count): time to
 * first frame, accurate-seek latency within and across segments, export throughput, and the open/play/stop soak.
 * Results go to {@code playback-bench.properties} in the bench folder for the script.
 */
class PlaybackBenchTest extends PlaybackTestBase {
    @InjectBundleContext
    BundleContext context;

    private Path benchDir() {
        String dir = context.getProperty("vigil.playback.bench");
        return dir == null || dir.isBlank() || dir.equals("none") ? null : Path.of(dir);
    }

    private int soakCycles() {
        String n = context.getProperty("vigil.playback.soak");
        return n == null || n.isBlank() || n.equals("none") ? 0 : Integer.parseInt(n.trim());
    }

    @Test
    void benchmark() throws Exception {
        Path dir = benchDir();
        assumeTrue(dir != null, "vigil.playback.bench is not set");
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg*.mp4")) {
            ds.forEach(segments::add);
        }
        segments.sort(null);
        int seconds = Integer.parseInt(context.getProperty("vigil.playback.bench.seconds") == null ? "10"
                : context.getProperty("vigil.playback.bench.seconds"));
        String camera = Library.camera("bench");
        library.addRun(camera, Library.BASE, segments, seconds);
        library.await(camera, segments.size());
        long span = (long) segments.size() * seconds * 1000;
        Map<String, String> results = new LinkedHashMap<>();
        Random rnd = new Random(42);
        PlaybackServiceImpl impl = (PlaybackServiceImpl) service;
        PlaybackOptions view = PlaybackOptions.defaults().paused();

        // time to first frame: open paused at a random instant until the frame of that instant is decoded
        List<Long> first = new ArrayList<>();
        List<Long> openCall = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant at = Library.BASE.plusMillis(rnd.nextLong(span - 1000));
            long t0 = System.nanoTime();
            CountDownLatch shown = new CountDownLatch(1);
            AtomicLong when = new AtomicLong();
            Session s = impl.openSession(List.of(camera), at, view);
            if (i >= 2) {
                openCall.add((System.nanoTime() - t0) / 1_000_000);
            }
            s.onDecodedFrame(f -> {
                when.compareAndSet(0, System.nanoTime());
                shown.countDown();
            });
            assertTrue(shown.await(30, TimeUnit.SECONDS), "a first frame");
            if (i >= 2) {
                first.add((when.get() - t0) / 1_000_000);
            }
            s.close();
        }
        put(results, "first_frame_ms", first);
        put(results, "open_call_ms", openCall);

        // accurate seeks on one paused session: within the segment shown, and into another segment
        Session s = impl.openSession(List.of(camera), Library.BASE.plusMillis(500), view);
        AtomicLong shownAt = new AtomicLong();
        s.onDecodedFrame(f -> shownAt.compareAndSet(0, System.nanoTime()));
        Await.result(s.pause(), WAIT);
        List<Long> within = new ArrayList<>();
        List<Long> across = new ArrayList<>();
        long current = 500;
        for (int i = 0; i < 80; i++) {
            boolean same = i % 2 == 0;
            long seg = current / (seconds * 1000L);
            long target;
            if (same) {
                target = seg * seconds * 1000L + rnd.nextLong(seconds * 1000L - 40);
            } else {
                long other;
                do {
                    other = rnd.nextLong(segments.size());
                } while (other == seg);
                target = other * seconds * 1000L + rnd.nextLong(seconds * 1000L - 40);
            }
            shownAt.set(0);
            long t0 = System.nanoTime();
            Await.result(s.seek(Library.BASE.plusMillis(target)), WAIT);
            assertTrue(Await.until(WAIT, () -> shownAt.get() != 0));
            long ms = (shownAt.get() - t0) / 1_000_000;
            if (i >= 4) {
                (same ? within : across).add(ms);
            }
            current = target;
        }
        s.close();
        put(results, "seek_within_ms", within);
        put(results, "seek_across_ms", across);
        List<Long> all = new ArrayList<>(within);
        all.addAll(across);
        put(results, "seek_all_ms", all);

        // export of every segment, three times; the best and the median
        long bytes = 0;
        for (Path p : segments) {
            bytes += Files.size(p);
        }
        List<Long> exportMs = new ArrayList<>();
        long outBytes = 0;
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("vigil-export.mp4");
            Files.deleteIfExists(out);
            long t0 = System.nanoTime();
            ExportReport r = Await.result(service.export(new ExportRequest(camera, Library.BASE,
                    Library.BASE.plusMillis(span), out, true)).result(), Duration.ofMinutes(10));
            exportMs.add((System.nanoTime() - t0) / 1_000_000);
            outBytes = r.bytes();
        }
        // the copies of the benchmark's recordings go again (60 MB a run)
        storage.delete(new DeletionRequest(SegmentSelection.of(camera, Library.BASE, Library.BASE.plusMillis(span
                + 1000)), false)).await(Duration.ofMinutes(2));
        results.put("segments", String.valueOf(segments.size()));
        results.put("input_bytes", String.valueOf(bytes));
        results.put("export_bytes", String.valueOf(outBytes));
        put(results, "export_ms", exportMs);
        write(dir, results);
    }

    @Test
    void soak() throws Exception {
        int n = soakCycles();
        assumeTrue(n > 0, "vigil.playback.soak is not set");
        String camera = cameraWithRun("soak");
        Cycles.Result r = Cycles.run((PlaybackServiceImpl) service, camera, Library.BASE.plusMillis(1_000), n, 100,
                100);
        String table = r.table();
        System.out.println(table);
        Path out = benchDir() != null ? benchDir() : Media.target();
        Files.writeString(out.resolve("playback-soak.txt"), table);
        Cycles.Reading base = r.at(100);
        Map<String, String> results = new LinkedHashMap<>();
        results.put("soak_cycles", String.valueOf(n));
        results.put("soak_fds", base.fds() + " -> " + r.last().fds());
        results.put("soak_threads", base.threads() + " -> " + r.last().threads());
        results.put("soak_rss_mib", base.rssMiB() + " -> " + r.last().rssMiB());
        results.put("soak_not_released", String.valueOf(r.notReleased()));
        results.put("soak_first_frame_ms", String.valueOf(r.averageFirstFrameMs()));
        write(out, results);
    }

    private static void put(Map<String, String> results, String key, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        v.sort(null);
        results.put(key + "_median", String.valueOf(v.get(v.size() / 2)));
        results.put(key + "_p95", String.valueOf(v.get(Math.min(v.size() - 1, (int) Math.ceil(v.size() * 0.95) - 1))));
        results.put(key + "_min", String.valueOf(v.get(0)));
        results.put(key + "_max", String.valueOf(v.get(v.size() - 1)));
        results.put(key + "_n", String.valueOf(v.size()));
    }

    private static void write(Path dir, Map<String, String> results) throws IOException {
        Path file = dir.resolve("playback-bench.properties");
        StringBuilder sb = new StringBuilder();
        if (Files.exists(file)) {
            sb.append(Files.readString(file));
        }
        results.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, sb.toString());
        System.out.println(String.format(Locale.ROOT, "playback bench: %s", results));
    }
}
