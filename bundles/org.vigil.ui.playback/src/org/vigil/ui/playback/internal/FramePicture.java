package org.vigil.ui.playback.internal;

import java.nio.ByteBuffer;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.internal.C;
import org.eclipse.swt.internal.cairo.Cairo;
import org.eclipse.swt.widgets.Display;
import org.vigil.api.camera.VideoFrame;

/**
 * The picture of one camera: one {@link Image} for as long as the size stays, the frame's BGRx rows copied into its
 * cairo surface (cairo's RGB24 is BGRx in memory on little-endian machines), as measured in SWT-NOTES. Display thread
 * only.
 */
final class FramePicture {
    private final Display display;
    private Image image;
    private byte[] packed = new byte[0];

    FramePicture(Display display) {
        this.display = display;
    }

    /** Takes over the pixels of {@code frame}. */
    void show(VideoFrame frame) {
        int w = frame.width();
        int h = frame.height();
        if (image == null || image.getBounds().width != w || image.getBounds().height != h) {
            dispose();
            image = new Image(display, new ImageData(w, h, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF)));
        }
        long surface = image.surface;
        Cairo.cairo_surface_flush(surface);
        int stride = Cairo.cairo_image_surface_get_stride(surface);
        int size = stride * h;
        if (packed.length != size) {
            packed = new byte[size];
        }
        ByteBuffer src = frame.pixels().duplicate();
        int start = src.position();
        int row = Math.min(stride, w * 4);
        for (int y = 0; y < h; y++) {
            src.position(start + y * frame.stride());
            src.get(packed, y * stride, row);
        }
        C.memmove(Cairo.cairo_image_surface_get_data(surface), packed, size);
        Cairo.cairo_surface_mark_dirty(surface);
    }

    /** Draws the picture centred in the cell {@code (x, y, w, h)}; false when there is none yet. */
    boolean paint(GC gc, int x, int y, int w, int h) {
        if (image == null) {
            return false;
        }
        int iw = image.getBounds().width;
        int ih = image.getBounds().height;
        if (iw == w && ih == h) {
            gc.drawImage(image, x, y);
        } else {
            gc.drawImage(image, 0, 0, iw, ih, x + Math.max(0, (w - iw) / 2), y + Math.max(0, (h - ih) / 2),
                    Math.min(iw, w), Math.min(ih, h));
        }
        return true;
    }

    void dispose() {
        if (image != null) {
            image.dispose();
            image = null;
        }
    }
}
