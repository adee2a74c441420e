package org.vigil.api.camera;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.vigil.api.platform.Scheduler;

/**
 * Delivers frames to one {@link FrameSink} as its contract says: a one-frame mailbox drained on the shared scheduler,
 * one call at a time. A frame that arrives before the previous one was delivered replaces it, so a slow consumer gets
 * fewer frames, never a queue. Used by the live feed and by playback for each subscription.
 */
public final class FrameMailbox {
    private static final Logger LOG = System.getLogger(FrameMailbox.class.getName());

    private final String task;
    private final FrameSink sink;
    private final Scheduler scheduler;
    private final AtomicReference<VideoFrame> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    /** @param task the scheduler task's name ("camera front live frame") */
    public FrameMailbox(String task, FrameSink sink, Scheduler scheduler) {
        this.task = task;
        this.sink = sink;
        this.scheduler = scheduler;
    }

    /** Offers a frame from any thread (GStreamer's streaming threads); an older one not yet delivered is dropped. */
    public void offer(VideoFrame frame) {
        if (closed) {
            return;
        }
        latest.set(frame);
        if (scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    private void submit() {
        try {
            scheduler.execute(task, this::deliverOne);
        } catch (RuntimeException e) {
            scheduled.set(false);
        }
    }

    private void deliverOne() {
        VideoFrame f = latest.getAndSet(null);
        try {
            if (f != null && !closed) {
                sink.frame(f);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, task + ": the consumer failed on a frame of camera " + f.cameraId() + ": " + e, e);
        } finally {
            scheduled.set(false);
            if (latest.get() != null && !closed && scheduled.compareAndSet(false, true)) {
                submit();
            }
        }
    }

    /** Stops delivery; a frame offered afterwards is dropped, a call already running completes. */
    public void close() {
        closed = true;
        latest.set(null);
    }
}
