package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.camera.CameraState;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.platform.Registration;

/**
 * The camera alerts, from statistics a fake recorder reports (the camera recorder comes later), with a clock the
 * test moves: offline for more than 30 s, recording stalled while online.
 */
class CameraAlertsTest {
    @TempDir
    Path tmp;

    private final ManualClock clock = ManualClock.atWholeMinute();
    private final FakeCameras cameras = new FakeCameras();
    private final List<AlertEvent> events = new CopyOnWriteArrayList<>();
    private HealthMonitor monitor;

    @BeforeEach
    void setUp() {
        monitor = new HealthMonitor(new HostProbe(Path.of("/"), false), new ProcessProbe(Path.of("/")),
                cameras::statistics, clock, MonitorConfig.defaults(tmp.resolve("recordings")));
        monitor.alerts().addListener(events::add);
    }

    private boolean active(AlertKind kind, String camera) {
        return monitor.alerts().isActive(kind, camera);
    }

    private List<AlertEvent> eventsOf(AlertKind kind) {
        return events.stream().filter(e -> e.alert().kind() == kind).toList();
    }

    @Test
    void offlineForMoreThanThirtySecondsRaisesAndComingBackClears() {
        Instant t0 = clock.instant();
        cameras.put(FakeCameras.recording("front", t0.minusSeconds(600), t0, t0.minusSeconds(30)));
        monitor.sample();
        assertFalse(active(AlertKind.CAMERA_OFFLINE, "front"));

        // The stream is lost at t0 + 2 s; the recorder cycles RECONNECTING -> CONNECTING every 5 s, so no state is
        // older than 5 s, but the camera has been down since its last frame.
        Instant lost = t0.plusSeconds(2);
        for (int s = 5; s <= 30; s += 5) {
            Instant now = clock.advance(Duration.ofSeconds(5));
            CameraState state = (s / 5) % 2 == 0 ? CameraState.CONNECTING : CameraState.RECONNECTING;
            cameras.put(FakeCameras.down("front", state, now.minusSeconds(1), lost, s / 5, "Connection refused by"
                    + " 192.168.1.20:554."));
            monitor.sample();
            assertFalse(active(AlertKind.CAMERA_OFFLINE, "front"), "down for " + (s - 2) + " s only");
        }
        Instant raisedAt = clock.advance(Duration.ofSeconds(5)); // t0 + 35 s: down for 33 s
        cameras.put(FakeCameras.down("front", CameraState.RECONNECTING, raisedAt.minusSeconds(1), lost, 7,
                "Connection refused by 192.168.1.20:554."));
        monitor.sample();
        assertTrue(active(AlertKind.CAMERA_OFFLINE, "front"));
        AlertEvent raised = eventsOf(AlertKind.CAMERA_OFFLINE).get(0);
        assertEquals(AlertEvent.Type.RAISED, raised.type());
        assertEquals(raisedAt, raised.time());
        assertEquals("Camera 'front' has been offline for 33 s (reconnecting, 7 reconnects): Connection refused by"
                + " 192.168.1.20:554.", raised.message());

        monitor.sample(); // still down: no second event
        assertEquals(1, eventsOf(AlertKind.CAMERA_OFFLINE).size());

        Instant back = clock.advance(Duration.ofSeconds(25));
        cameras.put(FakeCameras.recording("front", back.minusSeconds(2), back, null));
        monitor.sample();
        assertFalse(active(AlertKind.CAMERA_OFFLINE, "front"));
        AlertEvent cleared = eventsOf(AlertKind.CAMERA_OFFLINE).get(1);
        assertEquals(AlertEvent.Type.CLEARED, cleared.type());
        assertEquals(back, cleared.time());
        assertEquals("Camera 'front' is online again after 58 s.", cleared.message());
        assertTrue(eventsOf(AlertKind.RECORDING_STALLED).isEmpty(), "back from an outage is not a stall");
    }

    @Test
    void aCameraThatSaysRecordingButDeliversNoFramesIsOffline() {
        Instant t0 = clock.instant();
        cameras.put(new org.vigil.api.camera.CameraStatistics("yard", CameraState.RECORDING, t0.minusSeconds(3600),
                0, 0, 1000, 1000, java.util.Optional.of(t0.minusSeconds(31)), 0, java.util.Optional.empty(),
                java.util.Optional.of(t0.minusSeconds(40)), Duration.ofSeconds(60)));
        monitor.sample();
        assertTrue(active(AlertKind.CAMERA_OFFLINE, "yard"));
        assertTrue(monitor.alerts().active().get(0).message().contains("no frames arrive although it is recording"));
    }

    @Test
    void aCameraNeverConnectedSinceStartIsOfflineAfterThirtySeconds() {
        Instant t0 = clock.instant();
        cameras.put(FakeCameras.down("gate", CameraState.CONNECTING, t0, null, 0, null));
        monitor.sample();
        clock.advance(Duration.ofSeconds(29));
        monitor.sample();
        assertFalse(active(AlertKind.CAMERA_OFFLINE, "gate"));
        clock.advance(Duration.ofSeconds(2));
        monitor.sample();
        assertTrue(active(AlertKind.CAMERA_OFFLINE, "gate"));
        assertEquals("Camera 'gate' has been offline for 31 s (connecting, 0 reconnects); check its power, network"
                + " and URL.", monitor.alerts().active().get(0).message(), "no error reported: general advice");
    }

    @Test
    void disablingOrRemovingACameraClearsItsAlert() {
        Instant t0 = clock.instant();
        cameras.put(FakeCameras.down("a", CameraState.OFFLINE, t0.minusSeconds(60), null, 0, "No codec plugin for"
                + " H.265 is installed."));
        cameras.put(FakeCameras.down("b", CameraState.OFFLINE, t0.minusSeconds(60), null, 0, null));
        monitor.sample();
        assertTrue(active(AlertKind.CAMERA_OFFLINE, "a") && active(AlertKind.CAMERA_OFFLINE, "b"));
        cameras.put(FakeCameras.down("a", CameraState.DISABLED, t0, null, 0, null));
        cameras.remove("b");
        monitor.sample();
        assertTrue(monitor.alerts().active().isEmpty());
        assertEquals("Camera 'a' was disabled.", eventsOf(AlertKind.CAMERA_OFFLINE).get(2).message());
        assertTrue(eventsOf(AlertKind.CAMERA_OFFLINE).get(3).message().startsWith("Camera 'b' is no longer reported"));
        assertTrue(monitor.current().orElseThrow().camera("b").isEmpty());
    }

    @Test
    void aCameraJustEnabledIsGivenThirtySecondsAlthoughItsLastFrameIsOld() {
        Instant t0 = clock.instant();
        Instant yesterday = t0.minus(Duration.ofDays(1));
        cameras.put(FakeCameras.down("shed", CameraState.DISABLED, yesterday, yesterday, 0, null));
        monitor.sample();
        Instant enabled = clock.advance(Duration.ofSeconds(2));
        cameras.put(FakeCameras.down("shed", CameraState.CONNECTING, enabled, yesterday, 0, null));
        monitor.sample();
        clock.advance(Duration.ofSeconds(29));
        monitor.sample();
        assertFalse(active(AlertKind.CAMERA_OFFLINE, "shed"), "connecting for 29 s since it was enabled");
        clock.advance(Duration.ofSeconds(2));
        monitor.sample();
        assertTrue(active(AlertKind.CAMERA_OFFLINE, "shed"));
    }

    @Test
    void recordingStalledWhenTheNewestSegmentIsOlderThanTwoSegmentLengths() {
        Instant t0 = clock.instant();
        Instant segmentEnd = t0.minusSeconds(90);
        cameras.put(FakeCameras.recording("front", t0.minusSeconds(3600), t0, segmentEnd));
        monitor.sample();
        assertFalse(active(AlertKind.RECORDING_STALLED, "front"), "90 s with 60 s segments is not yet a stall");

        Instant now = clock.advance(Duration.ofSeconds(31)); // newest segment ended 121 s ago
        cameras.put(FakeCameras.recording("front", t0.minusSeconds(3600), now, segmentEnd));
        monitor.sample();
        assertTrue(active(AlertKind.RECORDING_STALLED, "front"));
        assertFalse(active(AlertKind.CAMERA_OFFLINE, "front"), "frames still arrive");
        assertEquals("Camera 'front' is online but its newest recording ended 2 min 1 s ago (segments are 1 min):"
                + " recording has stalled; check the recordings disk and the log.",
                eventsOf(AlertKind.RECORDING_STALLED).get(0).message());
        assertTrue(monitor.current().orElseThrow().camera("front").orElseThrow().newestSegmentAge().orElseThrow()
                .toSeconds() == 121);

        now = clock.advance(Duration.ofSeconds(2)); // a segment closes
        cameras.put(FakeCameras.recording("front", t0.minusSeconds(3600), now, now));
        monitor.sample();
        assertFalse(active(AlertKind.RECORDING_STALLED, "front"));
        assertEquals("Camera 'front' records again.", eventsOf(AlertKind.RECORDING_STALLED).get(1).message());
    }

    @Test
    void recordingThatNeverProducedASegmentStalls() {
        Instant t0 = clock.instant();
        cameras.put(FakeCameras.recording("front", t0, t0, null));
        monitor.sample();
        Instant now = clock.advance(Duration.ofSeconds(121));
        cameras.put(FakeCameras.recording("front", t0, now, null));
        monitor.sample();
        assertTrue(active(AlertKind.RECORDING_STALLED, "front"));
        assertTrue(monitor.alerts().active().get(0).message().contains("nothing was recorded in the 2 min 1 s"));

        // Recording switched off (streaming only): not a stall.
        cameras.put(new org.vigil.api.camera.CameraStatistics("front", CameraState.STREAMING, now, 25, 1, 1, 1,
                java.util.Optional.of(now), 0, java.util.Optional.empty(), java.util.Optional.empty(),
                Duration.ofSeconds(60)));
        monitor.sample();
        assertFalse(active(AlertKind.RECORDING_STALLED, "front"));
    }

    @Test
    void aClosedListenerRegistrationHearsNothingMore() {
        List<AlertEvent> heard = new CopyOnWriteArrayList<>();
        Registration r = monitor.alerts().addListener(heard::add);
        monitor.alerts().addListener(e -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        Instant t0 = clock.instant();
        cameras.put(FakeCameras.down("a", CameraState.OFFLINE, t0.minusSeconds(60), null, 0, null));
        monitor.sample();
        assertEquals(1, heard.size());
        r.close();
        r.close(); // twice is harmless
        cameras.remove("a");
        monitor.sample();
        assertEquals(1, heard.size());
        assertEquals(2, events.size(), "the other listener heard the clearing");
        assertEquals(2, monitor.alerts().recent().size());
    }
}
