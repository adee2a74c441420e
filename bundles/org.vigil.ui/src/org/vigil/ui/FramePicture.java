package org.vigil.ui;

import java.nio.ByteBuffer;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.internal.C;
import org.eclipse.swt.internal.cairo.Cairo;
import org.eclipse.swt.widgets.Display;
import org.vigil.api.camera.VideoFrame;

/**
 * The picture of one camera in a view: one {@link Image} for as long as the frames keep their size, each BGRx frame's
 * rows copied into its cairo surface (cairo's RGB24 is BGRx in memory on little-endian machines). That costs a tenth
 * of building a new image a frame (docs/SWT.md); it uses SWT's internal API and works on GTK only. Display thread
 * only; {@link #dispose()} when done.
 *
 * @since 1.1
 */
public final class FramePicture {
    private final Display display;
    private Image image;
    private byte[] row = new byte[0];

    public FramePicture(Display display) {
        this.display = display;
    }

    /** Takes over the pixels of {@code frame} (a new image only when the size changed). */
    public void show(VideoFrame frame) {
        int w = frame.width();
        int h = frame.height();
        if (image == null || image.getBounds().width != w || image.getBounds().height != h) {
            dispose();
            image = new Image(display, new ImageData(w, h, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF)));
        }
        long surface = image.surface;
        Cairo.cairo_surface_flush(surface);
        long data = Cairo.cairo_image_surface_get_data(surface);
        int stride = Cairo.cairo_image_surface_get_stride(surface);
        int bytes = Math.min(stride, w * 4);
        if (row.length != bytes) {
            row = new byte[bytes];
        }
        ByteBuffer pixels = frame.pixels().duplicate();
        int start = pixels.position();
        for (int y = 0; y < h; y++) {
            pixels.position(start + y * frame.stride());
            pixels.get(row, 0, bytes);
            C.memmove(data + (long) y * stride, row, bytes);
        }
        Cairo.cairo_surface_mark_dirty(surface);
    }

    /**
     * Draws the picture centred in the cell {@code (x, y, w, h)}, never scaled (a picture larger than the cell, the
     * last one before a resize, is cropped around its centre); false when there is no picture yet.
     */
    public boolean paint(GC gc, int x, int y, int w, int h) {
        if (image == null) {
            return false;
        }
        Rectangle b = image.getBounds();
        if (b.width == w && b.height == h) {
            gc.drawImage(image, x, y);
        } else {
            int cw = Math.min(b.width, w);
            int ch = Math.min(b.height, h);
            gc.drawImage(image, Math.max(0, (b.width - w) / 2), Math.max(0, (b.height - h) / 2), cw, ch,
                    x + Math.max(0, (w - b.width) / 2), y + Math.max(0, (h - b.height) / 2), cw, ch);
        }
        return true;
    }

    /** Releases the image; the next frame makes a new one. Harmless when there is none. */
    public void dispose() {
        if (image != null) {
            image.dispose();
            image = null;
        }
    }
}
