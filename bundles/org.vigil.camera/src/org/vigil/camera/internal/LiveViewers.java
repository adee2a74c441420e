package org.vigil.camera.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vigil.api.camera.FrameMailbox;
import org.vigil.api.camera.FrameSink;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Scheduler;

/**
 * The live viewers of one camera, grouped by picture size and stream: one decode branch per group, shared by its
 * viewers.
 * Confined to the camera's executor except {@link Viewer#offer}, which runs on GStreamer's threads. Each viewer has
 * a {@link FrameMailbox}: a newer frame replaces one not yet delivered, and one delivery at a time runs on the
 * scheduler.
 */
final class LiveViewers {
    /** What a group decodes: a picture size, from the main stream or from the preview (sub-stream if any). */
    record Size(int width, int height, boolean main) {
        @Override
        public String toString() {
            return width + "x" + height + (main ? " main" : "");
        }
    }

    /** The viewers of one size and the branch that feeds them (null while none is attached). */
    static final class Group {
        final Size size;
        final List<Viewer> viewers = new CopyOnWriteArrayList<>();
        LiveBranch branch;
        CameraSession session;

        Group(Size size) {
            this.size = size;
        }

        void deliver(VideoFrame frame) {
            for (Viewer v : viewers) {
                v.offer(frame);
            }
        }
    }

    /** One subscription: a one-frame mailbox, so a slow viewer gets fewer frames but never a growing queue. */
    static final class Viewer {
        private final FrameMailbox mailbox;

        Viewer(String task, FrameSink sink, Scheduler scheduler) {
            this.mailbox = new FrameMailbox(task, sink, scheduler);
        }

        void offer(VideoFrame frame) {
            mailbox.offer(frame);
        }

        void close() {
            mailbox.close();
        }
    }

    private final String cameraId;
    private final Scheduler scheduler;
    private final Map<Size, Group> groups = new LinkedHashMap<>();

    LiveViewers(String cameraId, Scheduler scheduler) {
        this.cameraId = cameraId;
        this.scheduler = scheduler;
    }

    /** Adds a viewer; returns its group (new groups have no branch yet). */
    Group add(Size size, Viewer viewer) {
        Group g = groups.computeIfAbsent(size, Group::new);
        g.viewers.add(viewer);
        return g;
    }

    /** Removes a viewer; returns its group when that is now empty (and removed). */
    Group remove(Size size, Viewer viewer) {
        viewer.close();
        Group g = groups.get(size);
        if (g == null) {
            return null;
        }
        g.viewers.remove(viewer);
        if (g.viewers.isEmpty()) {
            groups.remove(size);
            return g;
        }
        return null;
    }

    Viewer newViewer(FrameSink sink) {
        return new Viewer("camera " + cameraId + " live frame", sink, scheduler);
    }

    List<Group> groups() {
        return new ArrayList<>(groups.values());
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** Whether a viewer wants the preview stream (the sub-stream, when the camera has one). */
    boolean wantsPreview() {
        for (Size s : groups.keySet()) {
            if (!s.main()) {
                return true;
            }
        }
        return false;
    }

    int viewers() {
        int n = 0;
        for (Group g : groups.values()) {
            n += g.viewers.size();
        }
        return n;
    }

    /** Closes every viewer (the camera is going away); branches are released with their pipelines. */
    void closeAll() {
        for (Group g : groups.values()) {
            for (Viewer v : g.viewers) {
                v.close();
            }
        }
        groups.clear();
    }
}
