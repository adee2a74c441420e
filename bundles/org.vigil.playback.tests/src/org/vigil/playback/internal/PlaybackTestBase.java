package org.vigil.playback.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.playback.PlaybackEvent;
import org.vigil.api.playback.PlaybackOptions;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.StorageService;

/**
 * What the playback tests share: the services of the framework (playback, storage, catalog), recordings put into the
 * catalog as a recorder would, and recorders of the frames and events a session produces.
 */
abstract class PlaybackTestBase {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int GOP_FRAMES = 25;

    @InjectService(timeout = 20000)
    PlaybackService service;
    @InjectService(timeout = 20000)
    StorageService storage;
    @InjectService(timeout = 20000)
    SegmentListener listener;
    @InjectService(timeout = 20000)
    RecordingCatalog catalog;

    Library library;
    final List<Session> sessions = new ArrayList<>();

    /** One decoded frame as a test sees it: when it was recorded, when it arrived, a checksum of its pixels. */
    record Got(String camera, Instant time, long arrivedNanos, long crc, int width, int height) {
        static Got of(VideoFrame f) {
            CRC32 c = new CRC32();
            c.update(f.pixels().duplicate());
            return new Got(f.cameraId(), f.time(), System.nanoTime(), c.getValue(), f.width(), f.height());
        }
    }

    @BeforeEach
    void setUpLibrary() throws Exception {
        library = new Library(storage, listener, catalog);
        library.ready();
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(Session::close);
    }

    /** Three contiguous 4 s segments (1 s GOP) of a new camera from {@link Library#BASE}. */
    String cameraWithRun(String purpose) throws Exception {
        return cameraWithRuns(purpose, Duration.ZERO);
    }

    /** One run of three segments, or two when {@code gap} is positive (the second after the gap). */
    String cameraWithRuns(String purpose, Duration gap) throws Exception {
        String camera = Library.camera(purpose);
        List<Path> media = Media.segments("run3x4s", 3, 4, GOP_FRAMES);
        library.addRun(camera, Library.BASE, media, 4);
        int count = 3;
        if (!gap.isZero()) {
            library.addRun(camera, Library.BASE.plusSeconds(12).plus(gap), media, 4);
            count = 6;
        }
        library.await(camera, count);
        return camera;
    }

    Session open(String camera, Instant at, PlaybackOptions options) throws Exception {
        return open(List.of(camera), at, options);
    }

    Session open(List<String> cameras, Instant at, PlaybackOptions options) throws Exception {
        Session s = ((PlaybackServiceImpl) service).openSession(cameras, at, options);
        sessions.add(s);
        return s;
    }

    static PlaybackOptions small() {
        return PlaybackOptions.defaults().withSize(320, 240);
    }

    /** Every decoded frame of {@code s} from now on. */
    static List<Got> frames(Session s) {
        List<Got> got = Collections.synchronizedList(new ArrayList<>());
        s.onDecodedFrame(f -> got.add(Got.of(f)));
        return got;
    }

    static List<PlaybackEvent> events(Session s) {
        List<PlaybackEvent> got = Collections.synchronizedList(new ArrayList<>());
        s.onEvent(got::add);
        return got;
    }

    static List<Got> copy(List<Got> got) {
        synchronized (got) {
            return new ArrayList<>(got);
        }
    }

    static Got at(List<Got> got, Instant t) {
        for (Got g : copy(got)) {
            if (g.time().equals(t)) {
                return g;
            }
        }
        return null;
    }

    static Got last(List<Got> got) {
        List<Got> c = copy(got);
        return c.isEmpty() ? null : c.get(c.size() - 1);
    }

    static boolean reached(List<Got> got, Instant t) {
        Got l = last(got);
        return l != null && !l.time().isBefore(t);
    }

    static PlaybackEvent event(List<PlaybackEvent> events, Predicate<PlaybackEvent> which) {
        synchronized (events) {
            for (PlaybackEvent e : events) {
                if (which.test(e)) {
                    return e;
                }
            }
        }
        return null;
    }

    static long millis(Instant a, Instant b) {
        return Duration.between(a, b).toMillis();
    }
}
