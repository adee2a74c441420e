package org.vigil.restream.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.vigil.api.camera.EncodedFrame;
import org.vigil.api.camera.EncodedSink;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.platform.Registration;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * One mount of the re-stream server, {@code /<camera>/main} or {@code /<camera>/sub}: a shared media factory whose
 * pipeline is {@code appsrc ! rtpXpay}, fed by the camera's encoded tap ({@link LiveFeed#tapEncoded}). Every client of
 * the mount shares one media, so the camera is tapped once however many watch; the tap is open while a media is
 * prepared (someone watches) and closed when the last one is unprepared, which detaches the camera's branch.
 * {@link EncodedSink} calls come from the camera's tap thread, media calls from the RTSP server's threads: the
 * sources are guarded by one lock, held only to push a buffer.
 */
final class StreamMount implements EncodedSink {
    private static final Logger LOG = System.getLogger(StreamMount.class.getName());

    /** An {@code appsrc} of a prepared media and how its frames' times map to its pipeline's running time. */
    private static final class Source {
        final Pointer media;
        final Pointer appsrc;
        long base = Long.MIN_VALUE;
        boolean started;

        Source(Pointer media, Pointer appsrc) {
            this.media = media;
            this.appsrc = appsrc;
        }
    }

    private final String cameraId;
    private final LiveFeed.Stream stream;
    private final LiveFeed feed;
    private final RtspLibs.Libraries n;
    private final Object lock = new Object();
    private final List<Source> sources = new ArrayList<>();
    private Pointer factory;
    private String caps;
    private String payloader;
    private String launch;
    private Registration tap;
    private int waiting;
    private boolean closed;
    private long frames;

    StreamMount(String cameraId, LiveFeed.Stream stream, LiveFeed feed, RtspLibs.Libraries n) {
        this.cameraId = cameraId;
        this.stream = stream;
        this.feed = feed;
        this.n = n;
    }

    /** The mount's path: {@code /<camera>/main} or {@code /<camera>/sub}. */
    String path() {
        return path(cameraId, stream);
    }

    static String path(String cameraId, LiveFeed.Stream stream) {
        return "/" + cameraId + "/" + (stream == LiveFeed.Stream.MAIN ? "main" : "sub");
    }

    String cameraId() {
        return cameraId;
    }

    /** The payloader for the caps of a camera's stream, or empty when Vigil cannot re-stream it. */
    static Optional<String> payloaderFor(String caps) {
        String media = caps == null ? "" : caps.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (media) {
            case "video/x-h264" -> Optional.of("rtph264pay name=pay0 pt=96 config-interval=-1");
            case "video/x-h265" -> Optional.of("rtph265pay name=pay0 pt=96 config-interval=-1");
            case "image/jpeg" -> Optional.of("rtpjpegpay name=pay0 pt=26");
            default -> Optional.empty();
        };
    }

    /** The media's pipeline: the camera's frames in, RTP out, nothing decoded. */
    static String launch(String payloader) {
        return "( appsrc name=vsrc is-live=true format=time do-timestamp=false block=false max-bytes=8000000"
                + " leaky-type=downstream ! " + payloader + " )";
    }

    /** Called by the server when the factory is made (before it is mounted). */
    void factory(Pointer f) {
        synchronized (lock) {
            factory = f;
            updateLaunch();
        }
    }

    Pointer factory() {
        synchronized (lock) {
            return factory;
        }
    }

    /**
     * Before a client's DESCRIBE: whether the mount knows what the camera sends (its payloader). The first time it
     * taps the camera and waits at most {@code wait} for the stream's caps; later the last caps seen are used.
     */
    boolean ready(Duration wait) throws InterruptedException {
        synchronized (lock) {
            if (payloader != null) {
                return true;
            }
            if (closed) {
                return false;
            }
            waiting++;
            openTap();
            long deadline = System.nanoTime() + wait.toNanos();
            try {
                while (payloader == null && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    lock.wait(Math.max(1, left / 1_000_000));
                }
                return payloader != null;
            } finally {
                waiting--;
                closeTapIfIdle();
            }
        }
    }

    // ---- the camera's tap (its streaming thread) ----

    @Override
    public void format(String newCaps) {
        synchronized (lock) {
            caps = newCaps;
            Optional<String> p = payloaderFor(newCaps);
            if (p.isEmpty()) {
                LOG.log(Level.INFO, "Camera {0} sends {1}, which cannot be re-streamed.", cameraId, newCaps);
            } else if (!p.get().equals(payloader)) {
                boolean changed = payloader != null;
                payloader = p.get();
                updateLaunch();
                if (changed) {
                    // another codec: the prepared medias end, the next client gets a media for the new one
                    for (Source s : sources) {
                        n.app().gst_app_src_end_of_stream(s.appsrc);
                    }
                }
            }
            for (Source s : sources) {
                setCaps(s.appsrc, newCaps);
                s.base = Long.MIN_VALUE;
                s.started = false;
            }
            lock.notifyAll();
        }
    }

    @Override
    public void frame(EncodedFrame f) {
        synchronized (lock) {
            frames++;
            for (Source s : sources) {
                if (!s.started) {
                    if (!f.keyframe()) {
                        continue; // a new media starts at a keyframe
                    }
                    s.started = true;
                }
                push(s, f);
            }
        }
    }

    private void push(Source s, EncodedFrame f) {
        long first = f.dtsNanos() >= 0 ? f.dtsNanos() : f.ptsNanos();
        if (s.base == Long.MIN_VALUE) {
            long now = runningTime(s.appsrc);
            s.base = (now >= 0 ? now : 0) - Math.max(0, first);
        }
        int size = f.data().length;
        Pointer buffer = n.gst().gst_buffer_new_allocate(null, new NativeLong(size), null);
        if (buffer == null) {
            return;
        }
        n.gst().gst_buffer_fill(buffer, new NativeLong(0), f.data(), new NativeLong(size));
        buffer.setLong(RtspLibs.BUFFER_PTS, shifted(f.ptsNanos(), s.base));
        buffer.setLong(RtspLibs.BUFFER_DTS, shifted(f.dtsNanos(), s.base));
        buffer.setLong(RtspLibs.BUFFER_DURATION, f.durationNanos());
        if (!f.keyframe()) {
            buffer.setInt(RtspLibs.MINI_OBJECT_FLAGS,
                    buffer.getInt(RtspLibs.MINI_OBJECT_FLAGS) | RtspLibs.BUFFER_FLAG_DELTA_UNIT);
        }
        n.app().gst_app_src_push_buffer(s.appsrc, buffer); // takes the buffer
    }

    static long shifted(long time, long base) {
        return time < 0 ? -1 : Math.max(0, time + base);
    }

    private long runningTime(Pointer element) {
        Pointer clock = n.gst().gst_element_get_clock(element);
        if (clock == null) {
            return -1;
        }
        try {
            return n.gst().gst_clock_get_time(clock) - n.gst().gst_element_get_base_time(element);
        } finally {
            n.gst().gst_object_unref(clock);
        }
    }

    // ---- medias (the RTSP server's threads) ----

    /** A media of this mount was made for a client: its appsrc is fed from now on (the tap opens if needed). */
    void mediaConfigured(Pointer media, Pointer appsrc) {
        synchronized (lock) {
            if (closed || payloader == null) {
                // the camera is gone or never said what it sends: the media ends before it starts (503)
                n.app().gst_app_src_end_of_stream(appsrc);
                n.gst().gst_object_unref(appsrc);
                return;
            }
            Source s = new Source(media, appsrc);
            if (caps != null) {
                setCaps(appsrc, caps);
            }
            sources.add(s);
            openTap();
        }
        LOG.log(Level.DEBUG, "Re-stream {0}: a media is prepared.", path());
    }

    /** The media is gone (its last client left): its appsrc is released and, if it was the last, the tap closes. */
    void mediaUnprepared(Pointer media) {
        synchronized (lock) {
            sources.removeIf(s -> {
                if (s.media.equals(media)) {
                    n.gst().gst_object_unref(s.appsrc);
                    return true;
                }
                return false;
            });
            closeTapIfIdle();
        }
        LOG.log(Level.DEBUG, "Re-stream {0}: a media is released.", path());
    }

    /** Medias being fed now (tests, diagnostics). */
    int medias() {
        synchronized (lock) {
            return sources.size();
        }
    }

    boolean tapOpen() {
        synchronized (lock) {
            return tap != null;
        }
    }

    /** The camera is gone or the server stops: every media ends (its viewers get end-of-stream), the tap closes. */
    void close() {
        synchronized (lock) {
            closed = true;
            for (Source s : sources) {
                n.app().gst_app_src_end_of_stream(s.appsrc);
            }
            lock.notifyAll();
            closeTapIfIdle();
        }
    }

    private void openTap() {
        if (tap == null && !closed) {
            tap = feed.tapEncoded(cameraId, stream, this);
        } else if (tap == null && closed) {
            return;
        }
    }

    private void closeTapIfIdle() {
        if (tap != null && (closed || sources.isEmpty() && waiting == 0)) {
            Registration r = tap;
            tap = null;
            r.close();
        }
    }

    private void updateLaunch() {
        if (factory == null || payloader == null) {
            return;
        }
        String l = launch(payloader);
        if (!l.equals(launch)) {
            launch = l;
            n.server().gst_rtsp_media_factory_set_launch(factory, l);
        }
    }

    private void setCaps(Pointer appsrc, String c) {
        Pointer gc = n.gst().gst_caps_from_string(c);
        if (gc == null) {
            LOG.log(Level.INFO, "Re-stream {0}: the camera''s caps cannot be read: {1}", path(), c);
            return;
        }
        try {
            n.app().gst_app_src_set_caps(appsrc, gc);
        } finally {
            n.gst().gst_mini_object_unref(gc);
        }
    }

    @Override
    public String toString() {
        return path();
    }
}
