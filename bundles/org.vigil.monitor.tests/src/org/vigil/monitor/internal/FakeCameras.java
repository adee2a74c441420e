package org.vigil.monitor.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatisticsSource;

/** Camera statistics a test sets, standing in for the camera recorder (which is written later). */
class FakeCameras implements CameraStatisticsSource {
    private final Map<String, CameraStatistics> cameras = new TreeMap<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public synchronized List<CameraStatistics> statistics() {
        calls.incrementAndGet();
        return new ArrayList<>(cameras.values());
    }

    synchronized void put(CameraStatistics s) {
        cameras.put(s.cameraId(), s);
    }

    synchronized void remove(String id) {
        cameras.remove(id);
    }

    /** A camera recording at 25 fps, 4 Mbit/s, frames up to {@code now}, newest segment ended {@code segmentEnd}. */
    static CameraStatistics recording(String id, Instant since, Instant now, Instant segmentEnd) {
        return new CameraStatistics(id, CameraState.RECORDING, since, 25, 4_000_000, 25_000, 500_000_000,
                Optional.of(now.minusMillis(40)), 0, Optional.empty(), Optional.ofNullable(segmentEnd),
                Duration.ofSeconds(60));
    }

    /** A camera in a state without frames; the newest frame arrived at {@code lastFrame}, if ever. */
    static CameraStatistics down(String id, CameraState state, Instant since, Instant lastFrame, long reconnects,
            String error) {
        return new CameraStatistics(id, state, since, 0, 0, 25_000, 500_000_000, Optional.ofNullable(lastFrame),
                reconnects, Optional.ofNullable(error), Optional.empty(), Duration.ofSeconds(60));
    }
}
