package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.CameraStatusListener;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;
import org.vigil.camera.internal.TestAccess;
import org.vigil.testing.Await;

/**
 * A test class's recorder setup: a test storage (registered with a high ranking so it wins over any other), camera
 * configurations made through Configuration Admin as the settings bundle makes them, and the history of every
 * status change. Closing removes the cameras (and waits until they are gone) and the storage.
 */
final class Harness implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(30);

    /** One status change as a listener saw it, with the monotonic time it arrived. */
    record Seen(CameraStatus status, long nanos) {
    }

    final BundleContext context;
    final CameraService cameras;
    final LiveFeed live;
    final ConfigurationAdmin admin;
    final TestStorage storage;
    final Path root;
    final Path work;
    final List<Seen> history = new CopyOnWriteArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Map<String, Configuration> configurations = new LinkedHashMap<>();
    private final Registration listener;

    Harness(BundleContext context, String name) throws Exception {
        this(context, name, true);
    }

    /** With {@code testStorage} false the framework's own storage service records (no test storage). */
    Harness(BundleContext context, String name, boolean testStorage) throws Exception {
        this.context = context;
        this.cameras = service(context, CameraService.class);
        this.live = service(context, LiveFeed.class);
        this.admin = service(context, ConfigurationAdmin.class);
        String data = context.getProperty("vigil.data");
        this.work = Path.of(data == null ? System.getProperty("java.io.tmpdir") : data).resolve(name);
        deleteTree(work);
        this.root = work.resolve("recordings");
        this.storage = new TestStorage(root);
        if (testStorage) {
            Hashtable<String, Object> p = new Hashtable<>();
            p.put(Constants.SERVICE_RANKING, 1000);
            registrations.add(context.registerService(new String[] { StorageService.class.getName(),
                    SegmentListener.class.getName() }, storage, p));
        }
        CameraStatusListener l = s -> history.add(new Seen(s, System.nanoTime()));
        this.listener = cameras.addStatusListener(l);
    }

    static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        return Await.value("a " + type.getSimpleName() + " service is there", START, () -> {
            ServiceReference<T> ref = context.getServiceReference(type);
            return ref == null ? null : context.getService(ref);
        });
    }

    /** Adds a camera: {@code id}, {@code url} and settings such as {@code segmentSeconds=4}. */
    void add(String id, String url, Object... settings) throws IOException {
        Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, id, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("id", id);
        p.put("url", url);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            p.put((String) settings[i], settings[i + 1]);
        }
        c.update(p);
        configurations.put(id, c);
    }

    /** Changes some settings of a camera. */
    void set(String id, Object... settings) throws IOException {
        Configuration c = configurations.get(id);
        Dictionary<String, Object> p = c.getProperties();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            p.put((String) settings[i], settings[i + 1]);
        }
        c.update(p);
    }

    /** Removes a camera and waits until its recorder is gone. */
    void remove(String id) throws Exception {
        Configuration c = configurations.remove(id);
        if (c != null) {
            Optional<Object> recorder = TestAccess.recorder(cameras, id);
            c.delete();
            assertTrue(Await.until(Duration.ofSeconds(20), () -> cameras.status(id).isEmpty()
                    && recorder.map(TestAccess::isStopped).orElse(true)), "camera " + id + " removed and stopped");
        }
    }

    CameraStatus awaitState(String id, CameraState state, Duration timeout) throws InterruptedException {
        boolean ok = Await.until(timeout, () -> cameras.status(id).map(s -> s.state() == state).orElse(false));
        assertTrue(ok, "camera " + id + " reaches " + state + " within " + timeout.toSeconds() + " s; it is "
                + cameras.status(id).map(CameraStatus::toString).orElse("not there") + "; history: " + history(id));
        return cameras.status(id).orElseThrow();
    }

    List<ClosedSegment> awaitSegments(String id, int n, Duration timeout) throws InterruptedException {
        boolean ok = Await.until(timeout, () -> storage.closed(id).size() >= n);
        assertTrue(ok, "camera " + id + ": " + n + " segments within " + timeout.toSeconds() + " s, got "
                + storage.closed(id).size() + "; history: " + history(id));
        return segments(id);
    }

    List<ClosedSegment> segments(String id) {
        List<ClosedSegment> l = new ArrayList<>(storage.closed(id));
        l.sort(Comparator.comparing(ClosedSegment::start));
        return l;
    }

    /**
     * The first moment (nanoTime) camera {@code id} was seen in {@code state} after {@code afterNanos}, waiting a
     * little for the listener (it hears of changes shortly after they happen).
     */
    Optional<Long> seen(String id, CameraState state, long afterNanos) throws InterruptedException {
        Await.until(Duration.ofSeconds(3), () -> seenNow(id, state, afterNanos).isPresent());
        return seenNow(id, state, afterNanos);
    }

    private Optional<Long> seenNow(String id, CameraState state, long afterNanos) {
        for (Seen s : history) {
            if (s.status().cameraId().equals(id) && s.status().state() == state && s.nanos() >= afterNanos) {
                return Optional.of(s.nanos());
            }
        }
        return Optional.empty();
    }

    Optional<CameraStatus> seenStatus(String id, CameraState state, long afterNanos) throws InterruptedException {
        Await.until(Duration.ofSeconds(3), () -> seenNow(id, state, afterNanos).isPresent());
        for (Seen s : history) {
            if (s.status().cameraId().equals(id) && s.status().state() == state && s.nanos() >= afterNanos) {
                return Optional.of(s.status());
            }
        }
        return Optional.empty();
    }

    String history(String id) {
        StringBuilder b = new StringBuilder();
        for (Seen s : history) {
            if (s.status().cameraId().equals(id)) {
                b.append("\n  ").append(s.status().state()).append(' ').append(s.status().reason().orElse(""));
            }
        }
        return b.toString();
    }

    /** Every file under the recordings root. */
    List<Path> files() throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void close() throws Exception {
        for (String id : new ArrayList<>(configurations.keySet())) {
            remove(id);
        }
        listener.close();
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    static Instant now() {
        return Instant.now();
    }
}
