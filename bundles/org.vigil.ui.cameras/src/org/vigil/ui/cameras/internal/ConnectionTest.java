package org.vigil.ui.cameras.internal;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.ProbeResult;
import org.vigil.api.camera.Transport;
import org.vigil.api.camera.VideoFrame;
import org.vigil.ui.ViewContext;

/**
 * The "Test connection" part of the camera form: {@link CameraService#probe} through the view's context (never on
 * the display thread), "Connecting to …" with a progress bar and a Cancel while it runs, then the camera's picture
 * and one line ("H.264 1920x1080 25 fps, AAC audio — recordable") or the reason it cannot be used. A newer test, a
 * cancel, closing the form or the view makes the running test's result count for nothing and stops it, so that its
 * connection goes at once. The picture is one {@link Image}, disposed when replaced, reset or disposed. Display
 * thread only, except where noted.
 */
final class ConnectionTest {
    /** Widget data keys of the picture and the result line (tests find them by these). */
    static final String PICTURE = "vigil.cameras.snapshot";
    static final String LINE = "vigil.cameras.testLine";
    /** The picture is drawn to fit this box (the snapshot is at most 640x360). */
    static final int PICTURE_WIDTH = 288;
    static final int PICTURE_HEIGHT = 162;

    private final ViewContext context;
    private final Supplier<Optional<CameraService>> cameras;
    private final Composite area;
    private final Runnable relayout;
    private final Canvas picture;
    private final Label line;
    private final ProgressBar progress;
    private final Button cancel;
    /** Guards {@link #generation} and {@link #running} between the display thread and the worker starting a probe. */
    private final Object lock = new Object();
    /** Counts tests started and ended; a result whose number is not the current one is ignored. */
    private int generation;
    /** The probe of the current test, once its worker started it. */
    private CompletableFuture<ProbeResult> running;
    private Image image;

    /** @param relayout lays out the view again after the test's part changed its size */
    ConnectionTest(Composite parent, int columns, ViewContext context, Supplier<Optional<CameraService>> cameras,
            Runnable relayout) {
        this.context = context;
        this.relayout = relayout;
        this.cameras = cameras;
        area = new Composite(parent, SWT.NONE);
        area.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, columns, 1));
        GridLayout layout = new GridLayout(3, false); // picture, line, and the form's buttons
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.horizontalSpacing = 12;
        area.setLayout(layout);

        picture = new Canvas(area, SWT.NO_BACKGROUND | SWT.DOUBLE_BUFFERED);
        picture.setData(PICTURE, Boolean.TRUE);
        GridData pd = new GridData(SWT.BEGINNING, SWT.TOP, false, false);
        pd.widthHint = PICTURE_WIDTH;
        pd.heightHint = PICTURE_HEIGHT;
        picture.setLayoutData(pd);
        picture.addListener(SWT.Paint, e -> paint(e.gc));

        Composite side = new Composite(area, SWT.NONE);
        side.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout sl = new GridLayout(2, false);
        sl.marginWidth = 0;
        sl.marginHeight = 0;
        side.setLayout(sl);
        line = new Label(side, SWT.WRAP);
        line.setData(LINE, Boolean.TRUE);
        GridData ld = new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1);
        ld.widthHint = 300;
        line.setLayoutData(ld);
        progress = new ProgressBar(side, SWT.HORIZONTAL | SWT.INDETERMINATE);
        progress.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        cancel = new Button(side, SWT.PUSH);
        cancel.setText("Cancel test");
        cancel.setLayoutData(new GridData(SWT.END, SWT.CENTER, false, false));
        cancel.addListener(SWT.Selection, e -> {
            end();
            show("The test was cancelled.", false);
        });
        reset();
    }

    /** The row the picture and the line are in; its third column is the owner's (the form's buttons). */
    Composite row() {
        return area;
    }

    /** Tests {@code url} as the recorder would receive it; a test already running is stopped first. */
    void start(String url, Transport transport, Codec codec) {
        end();
        Optional<CameraService> service = cameras.get();
        if (service.isEmpty()) {
            show("The camera recorder is not running in this " + context.branding().productName() + ", so the "
                    + "connection cannot be tested here; start the recorder and try again.", true);
            return;
        }
        int number;
        synchronized (lock) {
            number = ++generation;
        }
        clearPicture();
        show("Connecting to " + CameraUrls.mask(url) + " …", false);
        setRunning(true);
        context.run("test camera connection", () -> {
            // on a worker: the test may have ended meanwhile (cancel, form or view closed); then stop the probe here
            CompletableFuture<ProbeResult> f = service.get().probe(url, transport, codec,
                    CameraService.DEFAULT_PROBE_TIMEOUT);
            boolean current;
            synchronized (lock) {
                current = number == generation;
                if (current) {
                    running = f;
                }
            }
            if (!current) {
                f.cancel(true);
            }
            return f;
        }, f -> context.apply(f, result -> {
            if (isCurrent(number)) {
                setRunning(false);
                showResult(result);
            }
        }, e -> failed(number, e)), e -> failed(number, e));
    }

    /** Whether test {@code number} is the current one; it then no longer runs (its result is in). */
    private boolean isCurrent(int number) {
        synchronized (lock) {
            if (number != generation) {
                return false;
            }
            running = null;
            return true;
        }
    }

    /** Stops a running test (its late result is ignored) and clears the picture and the line. */
    void reset() {
        end();
        clearPicture();
        show("", false);
    }

    /** Releases the picture and stops a running test; the widgets go with the form. */
    void dispose() {
        end();
        disposeImage();
    }

    /** Ends the running test, if any: its result no longer counts and its connection is released. */
    private void end() {
        CompletableFuture<ProbeResult> f;
        synchronized (lock) {
            generation++;
            f = running;
            running = null;
        }
        if (f != null) {
            f.cancel(true);
        }
        if (!cancel.isDisposed()) {
            setRunning(false);
        }
    }

    private void failed(int number, Throwable cause) {
        if (!isCurrent(number)) {
            return;
        }
        setRunning(false);
        if (cause instanceof CancellationException) {
            show("The test was cancelled.", false);
        } else if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            show(cause.getMessage(), true);
        } else {
            show("The connection could not be tested: " + cause + ".", true);
        }
    }

    private void showResult(ProbeResult r) {
        disposeImage();
        r.snapshot().ifPresent(f -> image = new Image(picture.getDisplay(), imageData(f)));
        setPictureVisible(image != null);
        show(r.summary(), !r.recordable());
        picture.redraw();
    }

    private void show(String text, boolean problem) {
        line.setText(text);
        line.setForeground(problem ? context.theme().problem() : null);
        setVisible(line, !text.isEmpty());
        relayout.run();
    }

    private void setRunning(boolean active) {
        setVisible(progress, active);
        setVisible(cancel, active);
        relayout.run();
    }

    private void clearPicture() {
        disposeImage();
        setPictureVisible(false);
    }

    private void setPictureVisible(boolean visible) {
        setVisible(picture, visible);
        relayout.run();
    }

    private static void setVisible(org.eclipse.swt.widgets.Control c, boolean visible) {
        ((GridData) c.getLayoutData()).exclude = !visible;
        c.setVisible(visible);
    }

    private void disposeImage() {
        if (image != null) {
            image.dispose();
            image = null;
        }
    }

    /** The picture scaled to fit the canvas, keeping its aspect ratio, centred on black. */
    private void paint(GC gc) {
        Rectangle area = picture.getClientArea();
        gc.setBackground(picture.getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.fillRectangle(area);
        if (image == null) {
            return;
        }
        Rectangle b = image.getBounds();
        double scale = Math.min((double) area.width / b.width, (double) area.height / b.height);
        int w = (int) Math.round(b.width * scale);
        int h = (int) Math.round(b.height * scale);
        gc.drawImage(image, 0, 0, b.width, b.height, (area.width - w) / 2, (area.height - h) / 2, w, h);
    }

    /** A BGRx frame as image data: 32 bits a pixel, blue in the top byte as SWT reads direct pixels. */
    static ImageData imageData(VideoFrame f) {
        int rowBytes = f.width() * 4;
        byte[] data = new byte[rowBytes * f.height()];
        ByteBuffer src = f.pixels().duplicate();
        int start = src.position();
        for (int y = 0; y < f.height(); y++) {
            src.position(start + y * f.stride());
            src.get(data, y * rowBytes, rowBytes);
        }
        return new ImageData(f.width(), f.height(), 32, new PaletteData(0xFF00, 0xFF0000, 0xFF000000), 4, data);
    }
}
