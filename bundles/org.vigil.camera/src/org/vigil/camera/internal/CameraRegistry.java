package org.vigil.camera.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatistics;
import org.vigil.api.camera.CameraStatisticsSource;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.CameraStatusListener;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.FrameSink;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.platform.SerialExecutor;
import org.vigil.gst.GstRuntime;

/**
 * The cameras of this recorder as services: {@link CameraService} (states and listeners), {@link LiveFeed} and the
 * {@link CameraStatisticsSource} the system monitor reads. Each camera's supervisor is one component per camera
 * configuration; this registry subscribes to each once, so reconnecting never adds a listener (seed S1). Live
 * subscriptions outlive their camera's supervisor: they resume when a supervisor for the camera comes back.
 * Connection tests ({@link #probe}) run here too, each on a connection of its own ({@link StreamProbe}).
 */
@Component(service = { CameraService.class, LiveFeed.class, CameraStatisticsSource.class }, immediate = true)
public final class CameraRegistry implements CameraService, LiveFeed, CameraStatisticsSource {
    static final int MAX_SIZE = 8192;
    /** Connection tests running at once, at most (each holds a connection to a camera). */
    static final int MAX_PROBES = 4;
    static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBES_STOP_WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger PROBES = new AtomicInteger();
    private static final Logger LOG = System.getLogger(CameraRegistry.class.getName());

    private final SerialExecutor notifier;
    private final Scheduler scheduler;
    private final CodecPlugins codecs;
    /** Optional so that camera states are served even where GStreamer cannot start; a probe then says so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GstRuntime gst;
    private final Map<StreamProbe, Boolean> probes = new ConcurrentHashMap<>();
    private final Map<CameraSupervisor, Registration> supervisors = new ConcurrentHashMap<>();
    private final List<CameraStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** A live subscription and, while its camera runs, the supervisor's registration. */
    private final class Subscription implements Registration {
        final String cameraId;
        final int width;
        final int height;
        final Stream stream;
        final FrameSink sink;
        CameraSupervisor attachedTo;
        Registration inner;
        boolean done;

        Subscription(String cameraId, int width, int height, Stream stream, FrameSink sink) {
            this.cameraId = cameraId;
            this.width = width;
            this.height = height;
            this.stream = stream;
            this.sink = sink;
        }

        synchronized void attach(CameraSupervisor s) {
            if (done || attachedTo != null) {
                return;
            }
            attachedTo = s;
            inner = s.subscribe(width, height, stream, sink);
        }

        synchronized void detach(CameraSupervisor s) {
            if (attachedTo == s) {
                attachedTo = null;
                Registration r = inner;
                inner = null;
                r.close();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                if (inner != null) {
                    inner.close();
                    inner = null;
                }
                attachedTo = null;
            }
            subscriptions.remove(this);
        }
    }

    @Activate
    public CameraRegistry(@Reference Scheduler scheduler, @Reference CodecPlugins codecs) {
        this.notifier = new SerialExecutor(scheduler, "camera status listeners");
        this.scheduler = scheduler;
        this.codecs = codecs;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSupervisor(CameraSupervisor s) {
        supervisors.put(s, s.addStatusListener(this::publish));
        for (Subscription sub : subscriptions) {
            if (sub.cameraId.equals(s.id())) {
                sub.attach(s);
            }
        }
    }

    void removeSupervisor(CameraSupervisor s) {
        Registration r = supervisors.remove(s);
        if (r != null) {
            r.close();
        }
        for (Subscription sub : subscriptions) {
            sub.detach(s);
        }
        for (CameraSupervisor other : supervisors.keySet()) {
            if (other.id().equals(s.id())) {
                for (Subscription sub : subscriptions) {
                    if (sub.cameraId.equals(s.id())) {
                        sub.attach(other);
                    }
                }
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addWhiteboardListener(CameraStatusListener listener) {
        addStatusListener(listener);
    }

    void removeWhiteboardListener(CameraStatusListener listener) {
        listeners.remove(listener);
    }

    @Override
    public List<CameraStatus> cameras() {
        List<CameraStatus> all = new ArrayList<>();
        for (CameraSupervisor s : sorted()) {
            all.add(s.status());
        }
        return all;
    }

    @Override
    public Optional<CameraStatus> status(String cameraId) {
        return find(cameraId).map(CameraSupervisor::status);
    }

    @Override
    public Optional<CameraStatistics> statistics(String cameraId) {
        return find(cameraId).map(CameraSupervisor::statistics);
    }

    @Override
    public List<CameraStatistics> statistics() {
        List<CameraStatistics> all = new ArrayList<>();
        for (CameraSupervisor s : sorted()) {
            all.add(s.statistics());
        }
        return all;
    }

    @Override
    public Registration addStatusListener(CameraStatusListener listener) {
        Objects.requireNonNull(listener, "listener");
        notifier.execute(() -> {
            if (closed) {
                return;
            }
            listeners.add(listener);
            for (CameraSupervisor s : sorted()) {
                notify(listener, s.status());
            }
        });
        return () -> notifier.execute(() -> listeners.remove(listener));
    }

    @Override
    public Registration subscribe(String cameraId, int width, int height, Stream stream, FrameSink sink) {
        CameraId.require(cameraId);
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(sink, "sink");
        if (width < 2 || height < 2 || width > MAX_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("A live picture of " + width + "x" + height + " is not possible; use"
                    + " 2 to " + MAX_SIZE + " pixels each way.");
        }
        Subscription sub = new Subscription(cameraId, width, height, stream, sink);
        subscriptions.add(sub);
        find(cameraId).ifPresent(sub::attach);
        return sub;
    }

    @Override
    public CompletableFuture<ProbeResult> probe(String url, Transport transport, Codec codec, Duration timeout) {
        String checked = CameraUrls.requireRtsp("camera URL", url);
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(codec, "codec");
        if (timeout == null || timeout.compareTo(MIN_PROBE_TIMEOUT) < 0 || timeout.compareTo(MAX_PROBE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("A connection test may take " + MIN_PROBE_TIMEOUT.toSeconds() + " to "
                    + MAX_PROBE_TIMEOUT.toSeconds() + " seconds, not " + (timeout == null ? "no time"
                            : timeout.toMillis() + " ms") + ".");
        }
        GstRuntime runtime = gst;
        if (runtime == null) {
            throw new IllegalStateException("GStreamer is not available, so no camera can be tested; the log says"
                    + " what is missing.");
        }
        StreamProbe[] self = new StreamProbe[1];
        synchronized (probes) { // the limit and the stop see every probe: checked and registered in one step
            if (closed) {
                throw new IllegalStateException("The camera recorder is stopping; test the camera once it runs"
                        + " again.");
            }
            if (probes.size() >= MAX_PROBES) {
                throw new IllegalStateException(MAX_PROBES + " connection tests are running already; wait until one"
                        + " has finished.");
            }
            self[0] = new StreamProbe(PROBES.incrementAndGet(), checked, transport, codec, timeout, codecs, runtime,
                    scheduler, () -> probes.remove(self[0]));
            probes.put(self[0], Boolean.TRUE);
        }
        return self[0].start();
    }

    /** Connection tests whose pipeline is not released yet. */
    int runningProbes() {
        return probes.size();
    }

    /** Registered status listeners (handles and whiteboard services). */
    int statusListeners() {
        return listeners.size();
    }

    int liveSubscriptions() {
        return subscriptions.size();
    }

    Optional<CameraSupervisor> supervisor(String cameraId) {
        return find(cameraId);
    }

    private void publish(CameraStatus status) {
        notifier.execute(() -> {
            for (CameraStatusListener l : listeners) {
                notify(l, status);
            }
        });
    }

    private static void notify(CameraStatusListener l, CameraStatus s) {
        try {
            l.statusChanged(s);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A camera status listener failed: " + e, e);
        }
    }

    private Optional<CameraSupervisor> find(String cameraId) {
        if (cameraId == null) {
            return Optional.empty();
        }
        return sorted().stream().filter(s -> s.id().equals(cameraId)).findFirst();
    }

    private List<CameraSupervisor> sorted() {
        List<CameraSupervisor> all = new ArrayList<>(supervisors.keySet());
        all.sort(Comparator.comparing(CameraSupervisor::id));
        return all;
    }

    @Deactivate
    void deactivate() {
        synchronized (probes) {
            closed = true; // no probe starts after this
        }
        for (Registration r : supervisors.values()) {
            r.close();
        }
        supervisors.clear();
        for (Subscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        listeners.clear();
        for (StreamProbe p : probes.keySet()) {
            p.cancel();
        }
        long deadline = System.nanoTime() + PROBES_STOP_WAIT.toNanos();
        try {
            while (!probes.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!probes.isEmpty()) {
            LOG.log(Level.WARNING, "{0} connection test(s) did not stop within {1} s.", probes.size(),
                    PROBES_STOP_WAIT.toSeconds());
        }
    }
}
