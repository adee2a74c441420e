package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The trend of a volume's free space over a window of readings: the least-squares slope, in bytes per hour
 * (negative while the disk fills). It exists once the readings cover nine tenths of the window, so a few seconds
 * of readings never make a trend. Not thread-safe: one sampler uses it.
 */
final class FreeSpaceTrend {
    private record Point(long millis, long free) {
    }

    private final ArrayDeque<Point> points = new ArrayDeque<>();

    void add(Instant time, long freeBytes, Duration window) {
        long now = time.toEpochMilli();
        if (!points.isEmpty() && points.peekLast().millis >= now) {
            points.clear(); // the clock went back
        }
        points.addLast(new Point(now, freeBytes));
        long oldest = now - window.toMillis();
        while (!points.isEmpty() && points.peekFirst().millis < oldest) {
            points.removeFirst();
        }
    }

    /** Bytes per hour, or empty while the readings do not cover most of {@code window}. */
    Optional<Double> bytesPerHour(Duration window) {
        if (points.size() < 3) {
            return Optional.empty();
        }
        long span = points.peekLast().millis - points.peekFirst().millis;
        if (span < window.toMillis() * 9 / 10) {
            return Optional.empty();
        }
        long t0 = points.peekFirst().millis;
        long y0 = points.peekFirst().free; // centred, so that terabytes keep their precision
        double n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Point p : points) {
            double x = (p.millis - t0) / 3_600_000.0;
            double y = p.free - y0;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = n * sxx - sx * sx;
        return d <= 0 ? Optional.empty() : Optional.of((n * sxy - sx * sy) / d);
    }

    void clear() {
        points.clear();
    }
}
