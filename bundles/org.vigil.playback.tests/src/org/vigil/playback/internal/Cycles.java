package org.vigil.playback.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.vigil.api.playback.PlaybackOptions;
import org.vigil.testing.ProcessProbe;

/**
 * Open, play until frames flow, stop: {@code count} times, with readings of open files, threads and RSS. Shared by
 * the test (a bounded count) and the soak of {@code releng/bench/playback.sh} (1,000 cycles).
 */
final class Cycles {
    record Reading(int cycle, int fds, int threads, long rssMiB, long millis) {
    }

    record Result(List<Reading> readings, long averageFirstFrameMs, int notReleased) {
        Reading at(int cycle) {
            for (Reading r : readings) {
                if (r.cycle() == cycle) {
                    return r;
                }
            }
            throw new IllegalArgumentException("no reading at " + cycle);
        }

        Reading last() {
            return readings.get(readings.size() - 1);
        }

        String table() {
            StringBuilder sb = new StringBuilder("Playback cycles (open, 5 frames, stop), average first frame "
                    + averageFirstFrameMs + " ms\ncycle  fds  threads  rss_mib  elapsed_ms\n");
            for (Reading r : readings) {
                sb.append(String.format("%5d %4d %8d %8d %11d%n", r.cycle(), r.fds(), r.threads(), r.rssMiB(),
                        r.millis()));
            }
            return sb.toString();
        }
    }

    private Cycles() {
    }

    static Result run(PlaybackServiceImpl service, String camera, Instant from, int count, int warmUp, int every)
            throws Exception {
        List<Reading> readings = new ArrayList<>();
        long t0 = System.nanoTime();
        long firstFrames = 0;
        int notReleased = 0;
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            Session s = service.openSession(List.of(camera), from.plusMillis((i % 9) * 170L),
                    PlaybackOptions.defaults().withSize(320, 240));
            try {
                CountDownLatch first = new CountDownLatch(1);
                CountDownLatch five = new CountDownLatch(5);
                s.onDecodedFrame(f -> {
                    first.countDown();
                    five.countDown();
                });
                if (!first.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("cycle " + i + ": no frame within 20 s (" + s.status() + ")");
                }
                firstFrames += System.nanoTime() - start;
                if (!five.await(20, TimeUnit.SECONDS)) {
                    throw new AssertionError("cycle " + i + ": frames stopped (" + s.status() + ")");
                }
            } finally {
                s.close();
            }
            if (!s.isReleased()) {
                notReleased++;
            }
            if (i == warmUp || i % every == 0 || i == count) {
                System.gc();
                readings.add(new Reading(i, ProcessProbe.openFileDescriptors(), ProcessProbe.threads(),
                        ProcessProbe.rssMiB(), Duration.ofNanos(System.nanoTime() - t0).toMillis()));
            }
        }
        return new Result(readings, firstFrames / count / 1_000_000, notReleased);
    }
}
