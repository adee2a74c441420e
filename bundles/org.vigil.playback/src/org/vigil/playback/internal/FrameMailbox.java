package org.vigil.playback.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.vigil.api.camera.FrameSink;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Scheduler;

/**
 * One frame sink's delivery: a one-frame mailbox per camera drained on the shared scheduler, one call at a time. A
 * frame that arrives before the previous one was delivered replaces it, so a slow view gets fewer frames, never a
 * queue (the {@link FrameSink} contract).
 */
final class FrameMailbox {
    private static final Logger LOG = System.getLogger(FrameMailbox.class.getName());

    private final String task;
    private final FrameSink sink;
    private final Scheduler scheduler;
    private final AtomicReference<VideoFrame> latest = new AtomicReference<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    FrameMailbox(String task, FrameSink sink, Scheduler scheduler) {
        this.task = task;
        this.sink = sink;
        this.scheduler = scheduler;
    }

    void offer(VideoFrame frame) {
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
            LOG.log(Level.WARNING, "A playback view failed on a frame of camera " + f.cameraId() + ": " + e, e);
        } finally {
            scheduled.set(false);
            if (latest.get() != null && !closed && scheduled.compareAndSet(false, true)) {
                submit();
            }
        }
    }

    void close() {
        closed = true;
        latest.set(null);
    }
}
