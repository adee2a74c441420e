package org.vigil.ui.live.internal;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.vigil.api.camera.CameraState;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.camera.VideoFrame;
import org.vigil.api.platform.Registration;
import org.vigil.ui.FramePicture;
import org.vigil.ui.ViewContext;

/**
 * One camera in the live grid: a canvas showing the newest picture, scaled by GStreamer to the canvas's size, with
 * the camera's name, state and time over it, or the reason when it is not receiving. The tile subscribes when it
 * gets its size and again (debounced) when the size changes; disposing it closes the subscription and the image.
 * One {@link FramePicture} for the tile's life: each frame's pixels are copied into its image.
 */
final class Tile {
    /** How long the size must stay put before the tile subscribes again at the new size. */
    static final int RESUBSCRIBE_DELAY_MS = 250;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Canvas canvas;
    private final FramePicture picture;
    private final ViewContext context;
    private final LiveFeed live;
    private final String cameraId;
    private final ViewContext.Updates<VideoFrame> frames;
    private final Runnable resubscribe = this::resubscribe;
    private final LiveFeed.Stream stream;
    private String name;
    private CameraStatus status;
    private Registration subscription;
    private Point subscribed;
    private Instant frameTime;

    Tile(Composite parent, ViewContext context, LiveFeed live, LiveFeed.Stream stream, String cameraId, String name,
            CameraStatus status) {
        this.context = context;
        this.live = live;
        this.stream = stream;
        this.cameraId = cameraId;
        this.name = name;
        this.status = status;
        this.canvas = new Canvas(parent, SWT.NO_BACKGROUND | SWT.DOUBLE_BUFFERED);
        this.picture = new FramePicture(canvas.getDisplay());
        canvas.setData(LivePanel.CAMERA_KEY, cameraId);
        this.frames = context.updates(this::show);
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> sizeChanged());
        canvas.addListener(SWT.Dispose, e -> release());
        describe();
    }

    Canvas control() {
        return canvas;
    }

    String cameraId() {
        return cameraId;
    }

    /** A new state or name from the camera service and the configuration. */
    void update(String newName, CameraStatus newStatus) {
        if (newName.equals(name) && newStatus.equals(status)) {
            return;
        }
        name = newName;
        status = newStatus;
        describe();
        canvas.redraw();
    }

    private void describe() {
        StringBuilder text = new StringBuilder(name).append(" (").append(cameraId).append("): ")
                .append(stateText(status.state()));
        status.reason().ifPresent(r -> text.append(". ").append(r));
        canvas.setToolTipText(text.toString());
    }

    private static String stateText(CameraState state) {
        String s = state.name().toLowerCase();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void sizeChanged() {
        Point size = size();
        if (!size.equals(subscribed)) {
            canvas.getDisplay().timerExec(subscribed == null ? 0 : RESUBSCRIBE_DELAY_MS, resubscribe);
        }
    }

    private Point size() {
        Rectangle r = canvas.getClientArea();
        return new Point(Math.max(2, r.width & ~1), Math.max(2, r.height & ~1));
    }

    /**
     * Subscribes at the current size, closing the former subscription. {@link LiveFeed#subscribe} only records the
     * wish and hands the work to the camera's own thread, so it is called here directly.
     */
    private void resubscribe() {
        if (canvas.isDisposed() || !context.isOpen()) {
            return;
        }
        Point size = size();
        if (size.equals(subscribed)) {
            return;
        }
        closeSubscription();
        subscribed = size;
        subscription = live.subscribe(cameraId, size.x, size.y, stream, frames::post);
    }

    /** The newest frame, on the display thread (at most one pending for the whole view). */
    private void show(VideoFrame frame) {
        if (canvas.isDisposed() || subscribed == null || frame.width() != subscribed.x
                || frame.height() != subscribed.y) {
            return; // a late frame of the former size
        }
        picture.show(frame);
        frameTime = frame.time();
        canvas.redraw();
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        var display = canvas.getDisplay();
        gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
        boolean receiving = status.state().isReceiving();
        gc.fillRectangle(area);
        if (receiving) {
            picture.paint(gc, 0, 0, area.width, area.height);
        }
        String time = receiving && frameTime != null ? clock(frameTime)
                : "since " + clock(status.since());
        String caption = name + "  \u00b7  " + stateText(status.state()) + "  \u00b7  " + time;
        gc.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
        gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
        gc.drawText(caption, 6, 4, false);
        Optional<String> reason = receiving ? Optional.empty() : status.reason();
        String middle = reason.orElse(receiving ? "" : stateText(status.state()) + "\u2026");
        if (!middle.isEmpty()) {
            gc.setForeground(status.state() == CameraState.OFFLINE ? context.theme().warning()
                    : display.getSystemColor(SWT.COLOR_GRAY));
            drawWrapped(gc, middle, area);
        }
    }

    /** Centred text, broken into lines that fit the tile. */
    private static void drawWrapped(GC gc, String text, Rectangle area) {
        int max = Math.max(40, area.width - 24);
        StringBuilder lines = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String next = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && gc.textExtent(next).x > max) {
                lines.append(line).append('\n');
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(next);
            }
        }
        lines.append(line);
        Point extent = gc.textExtent(lines.toString(), SWT.DRAW_DELIMITER);
        gc.drawText(lines.toString(), Math.max(6, (area.width - extent.x) / 2), Math.max(24,
                (area.height - extent.y) / 2), SWT.DRAW_DELIMITER | SWT.DRAW_TRANSPARENT);
    }

    private static String clock(Instant t) {
        return TIME.format(LocalTime.ofInstant(t.truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault()));
    }

    private void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        subscribed = null;
    }

    private void release() {
        canvas.getDisplay().timerExec(-1, resubscribe);
        closeSubscription();
        picture.dispose();
    }
}
