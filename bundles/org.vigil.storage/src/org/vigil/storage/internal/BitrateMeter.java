package org.vigil.storage.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current recording rate of all cameras, from the segments closed in the last ten minutes. A camera that closed
 * nothing for five minutes (stopped, offline) no longer counts.
 */
final class BitrateMeter {
    private static final long WINDOW_MS = 10 * 60 * 1000L;
    private static final long IDLE_MS = 5 * 60 * 1000L;

    private record Sample(long at, long bytes, long durationMs) {
    }

    private final Map<String, Deque<Sample>> cameras = new ConcurrentHashMap<>();

    void record(String camera, long bytes, long durationMs) {
        if (durationMs <= 0) {
            return;
        }
        Deque<Sample> d = cameras.computeIfAbsent(camera, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(new Sample(System.currentTimeMillis(), bytes, durationMs));
            trim(d, System.currentTimeMillis());
        }
    }

    /** Bytes per second over every active camera. */
    long bytesPerSecond() {
        long now = System.currentTimeMillis();
        double total = 0;
        for (Deque<Sample> d : cameras.values()) {
            synchronized (d) {
                trim(d, now);
                if (d.isEmpty() || now - d.peekLast().at > IDLE_MS) {
                    continue;
                }
                long bytes = 0;
                long ms = 0;
                for (Sample s : d) {
                    bytes += s.bytes;
                    ms += s.durationMs;
                }
                total += ms <= 0 ? 0 : bytes * 1000.0 / ms;
            }
        }
        return (long) total;
    }

    private static void trim(Deque<Sample> d, long now) {
        while (!d.isEmpty() && now - d.peekFirst().at > WINDOW_MS) {
            d.removeFirst();
        }
    }
}
