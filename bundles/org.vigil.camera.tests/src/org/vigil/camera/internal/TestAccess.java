package org.vigil.camera.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import org.vigil.api.camera.CameraService;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.VigilMode;
import org.vigil.gst.GstRuntime;

/** What the camera tests may see of the bundle's internals (the test fragment shares its package). */
public final class TestAccess {
    private TestAccess() {
    }

    /** Numbers of one camera's recorder. */
    public record Numbers(int session, int sessionListeners, int liveBranches, boolean subStream, int viewers,
            Duration lastBackoff, long reconnects, long segmentsClosed, int stoppingSessions, int statusListeners,
            boolean writing, int mainLiveBranches) {
    }

    public static Optional<Numbers> numbers(CameraService service, String cameraId) {
        return ((CameraRegistry) service).supervisor(cameraId).map(s -> {
            CameraSupervisor.Diagnostics d = s.diagnostics();
            return new Numbers(d.session(), d.sessionListeners(), d.liveBranches(), d.subStream(), d.viewers(),
                    d.lastBackoff(), d.reconnects(), d.segmentsClosed(), d.stoppingSessions(), s.statusListeners(),
                    d.writing(), d.mainLiveBranches());
        });
    }

    /** Sets the wall clock camera {@code cameraId} names its segments by (a clock set forward, midnight). */
    public static void clock(CameraService service, String cameraId, java.time.Clock clock) {
        ((CameraRegistry) service).supervisor(cameraId).orElseThrow().clock(clock);
    }

    /** A handle on camera {@code cameraId}'s recorder, for {@link #isStopped}. */
    public static Optional<Object> recorder(CameraService service, String cameraId) {
        return ((CameraRegistry) service).supervisor(cameraId).map(s -> s);
    }

    /** Whether the recorder has stopped completely (its last segment announced). */
    public static boolean isStopped(Object recorder) {
        return ((CameraSupervisor) recorder).isStopped();
    }

    /** Status listeners registered with the camera service (handles and whiteboard). */
    public static int registryListeners(CameraService service) {
        return ((CameraRegistry) service).statusListeners();
    }

    /** Connection tests whose pipeline is not released yet. */
    public static int runningProbes(CameraService service) {
        return ((CameraRegistry) service).runningProbes();
    }

    /** Camera pipelines (recording and sub-stream) built and not released yet, across every camera. */
    public static int unreleasedPipelines() {
        return CameraSession.unreleased();
    }

    public static int liveSubscriptions(CameraService service) {
        return ((CameraRegistry) service).liveSubscriptions();
    }

    // ---- pure logic ----

    public static Duration[] backoffSequence(Duration min, Duration max, int n, DoubleSupplier random) {
        Backoff b = new Backoff(min, max, random);
        Duration[] d = new Duration[n];
        for (int i = 0; i < n; i++) {
            d[i] = b.next();
        }
        return d;
    }

    public static Duration backoffAfterReset(Duration min, Duration max, int failures) {
        Backoff b = new Backoff(min, max, () -> 0.5);
        for (int i = 0; i < failures; i++) {
            b.next();
        }
        b.reset();
        return b.next();
    }

    public static String failureReason(String domain, int code, String message, String debug, String element,
            String url) {
        return Failure.fromError(new GstNative.ErrorDetails(domain, code, message, debug), element, url,
                Duration.ofSeconds(10)).reason();
    }

    public static String failureKind(String domain, int code, String message, String debug, String element,
            String url) {
        return Failure.fromError(new GstNative.ErrorDetails(domain, code, message, debug), element, url,
                Duration.ofSeconds(10)).kind().name();
    }

    public static String idOf(Map<String, Object> properties) {
        return CameraSupervisor.idOf(properties);
    }

    public static String pipelineDescription(String url, boolean record, boolean udp) {
        return CameraSession.describe(new CameraSession.Plan("x", "main", url,
                udp ? org.vigil.api.camera.Transport.UDP : org.vigil.api.camera.Transport.TCP,
                org.vigil.api.camera.Codec.AUTO, record, () -> Duration.ofSeconds(60), 500, (s, c) -> null,
                Duration.ofSeconds(10), java.time.Clock.systemDefaultZone()));
    }

    public static String liveBranchDescription(String decoder, int w, int h) {
        return LiveBranch.describe(decoder, w, h);
    }

    public static boolean isAac(String encoding, String mode) {
        return CameraSession.isAac(encoding, mode);
    }

    /** A supervisor built by hand (no DS) in {@code mode}, for the mode rules; it never connects in COMMAND mode. */
    public static AutoCloseable supervisor(Map<String, Object> properties, VigilMode mode, Scheduler scheduler,
            GstRuntime gst, java.util.function.Consumer<org.vigil.api.camera.CameraStatus> statuses) {
        CodecPlugins codecs = new CodecPlugins();
        RecordingStorage storage = new RecordingStorage();
        CameraSupervisor s = new CameraSupervisor(properties, mode, scheduler, gst, codecs, storage);
        s.addStatusListener(statuses::accept);
        return s::deactivate;
    }

    /** The wall-clock name of a running time, as the segment writer computes it. */
    public static Instant wallAt(Instant anchorWall, long anchorRt, long rt) {
        return new SegmentWriter.Anchor(anchorWall, anchorRt).at(rt);
    }
}
