package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

import org.vigil.api.camera.CameraState;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.Readings;

/**
 * The last 24 hours of readings at one-minute resolution, in memory (1440 points; under 2 MB with a dozen
 * cameras). Readings of the minute in progress are summed; the point is made when a reading of a later minute
 * arrives. Thread-safe.
 */
final class MinuteHistory {
    static final Duration KEEP = Duration.ofHours(24);

    private final ArrayDeque<HistoryPoint> points = new ArrayDeque<>();
    private Bucket bucket;

    /** Adds a reading; returns the point of the minute it closed, if it closed one. */
    synchronized Optional<HistoryPoint> add(Readings r) {
        Instant minute = r.time().truncatedTo(ChronoUnit.MINUTES);
        Optional<HistoryPoint> closed = Optional.empty();
        if (bucket != null && !bucket.minute.equals(minute)) {
            if (minute.isBefore(bucket.minute)) {
                return Optional.empty(); // the clock went back: ignore until it catches up
            }
            HistoryPoint p = bucket.point();
            points.addLast(p);
            closed = Optional.of(p);
            bucket = null;
            Instant oldest = minute.minus(KEEP);
            while (!points.isEmpty() && points.peekFirst().minute().isBefore(oldest)) {
                points.removeFirst();
            }
        }
        if (bucket == null) {
            bucket = new Bucket(minute);
        }
        bucket.add(r);
        return closed;
    }

    /** Points with {@code from <= minute < to}, oldest first. */
    synchronized List<HistoryPoint> between(Instant from, Instant to) {
        List<HistoryPoint> out = new ArrayList<>();
        for (HistoryPoint p : points) {
            if (!p.minute().isBefore(from) && p.minute().isBefore(to)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The newest {@code n} points at most, oldest first. */
    synchronized List<HistoryPoint> newest(int n) {
        List<HistoryPoint> out = new ArrayList<>(Math.min(n, points.size()));
        Iterator<HistoryPoint> it = points.descendingIterator();
        while (it.hasNext() && out.size() < n) {
            out.add(0, it.next());
        }
        return out;
    }

    synchronized int size() {
        return points.size();
    }

    /** Sums of one minute's readings. */
    private static final class Bucket {
        final Instant minute;
        int samples;
        double cpu;
        double memoryUsed;
        double load1;
        Double temperature;
        final Map<String, Long> diskFree = new LinkedHashMap<>();
        double rss;
        double heap;
        double threads;
        double files;
        final Map<String, CameraSums> cameras = new LinkedHashMap<>();

        Bucket(Instant minute) {
            this.minute = minute;
        }

        void add(Readings r) {
            samples++;
            cpu += r.host().cpuPercent();
            memoryUsed += r.host().memoryUsedBytes();
            load1 += r.host().load1();
            r.host().temperatureCelsius().ifPresent(t -> temperature = temperature == null ? t : Math.max(temperature, t));
            for (DiskReading d : r.disks()) {
                diskFree.merge(d.path(), d.freeBytes(), Math::min);
            }
            rss += r.process().rssBytes();
            heap += r.process().heapUsedBytes();
            threads += r.process().threads();
            files += r.process().openFiles();
            for (CameraReading c : r.cameras()) {
                cameras.computeIfAbsent(c.cameraId(), k -> new CameraSums()).add(c);
            }
        }

        HistoryPoint point() {
            Map<String, HistoryPoint.Camera> cams = new LinkedHashMap<>();
            cameras.forEach((id, s) -> cams.put(id, s.point()));
            return new HistoryPoint(minute, samples, cpu / samples, Math.round(memoryUsed / samples), load1 / samples,
                    Optional.ofNullable(temperature), diskFree, Math.round(rss / samples), Math.round(heap / samples),
                    threads / samples, files / samples, cams);
        }
    }

    private static final class CameraSums {
        int samples;
        int online;
        double fps;
        double bitrate;
        CameraState state;

        void add(CameraReading c) {
            samples++;
            online += c.state().isReceiving() ? 1 : 0;
            fps += c.fps();
            bitrate += c.bitrateBps();
            state = c.state();
        }

        HistoryPoint.Camera point() {
            return new HistoryPoint.Camera(state, fps / samples, Math.round(bitrate / samples), (double) online / samples);
        }
    }

    /** Averages of {@code value} over consecutive slices of {@code points}; used by the leak detector. */
    static double[] sliceAverages(List<HistoryPoint> points, Instant from, Duration slice, int slices,
            ToDoubleFunction<HistoryPoint> value) {
        double[] sums = new double[slices];
        int[] counts = new int[slices];
        for (HistoryPoint p : points) {
            long i = Duration.between(from, p.minute()).toMinutes() / Math.max(1, slice.toMinutes());
            if (i >= 0 && i < slices) {
                sums[(int) i] += value.applyAsDouble(p);
                counts[(int) i]++;
            }
        }
        double[] out = new double[slices];
        for (int i = 0; i < slices; i++) {
            out[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return out;
    }
}
