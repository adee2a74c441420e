package org.vigil.ui.health.internal;

import java.util.List;
import java.util.Locale;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.vigil.ui.Theme;

/** A small line chart of one series (one value a minute), drawn with GC in the theme's colours. */
final class Chart {
    private final Canvas canvas;
    private final Theme theme;
    private final String title;
    private final String unit;
    private double[] values = new double[0];
    private int paints;

    Chart(Composite parent, Theme theme, String title, String unit) {
        this.theme = theme;
        this.title = title;
        this.unit = unit;
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.setData("vigil.chart", title);
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
    }

    Canvas control() {
        return canvas;
    }

    void set(List<Double> series) {
        values = series.stream().mapToDouble(Double::doubleValue).toArray();
        canvas.setToolTipText(title + ": " + values.length + " minutes" + (values.length == 0 ? ""
                : String.format(Locale.ROOT, ", last %.1f %s", values[values.length - 1], unit)));
        canvas.redraw();
    }

    /** How many times it was painted (tests: a chart that draws). */
    int paints() {
        return paints;
    }

    private void paint(GC gc) {
        paints++;
        Rectangle r = canvas.getClientArea();
        gc.setForeground(theme.muted());
        gc.drawRectangle(0, 0, r.width - 1, r.height - 1);
        gc.drawText(title, 4, 2, true);
        if (values.length < 2) {
            gc.drawText("collecting (one point a minute)", 4, r.height / 2, true);
            return;
        }
        double max = 1;
        for (double v : values) {
            max = Math.max(max, v);
        }
        int top = 20;
        int h = r.height - top - 4;
        int w = r.width - 8;
        int[] points = new int[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            points[2 * i] = 4 + i * w / (values.length - 1);
            points[2 * i + 1] = top + h - (int) Math.round(values[i] / max * h);
        }
        gc.setForeground(theme.accent());
        gc.setLineWidth(2);
        gc.drawPolyline(points);
        gc.setLineWidth(1);
        gc.setForeground(theme.muted());
        gc.drawText(String.format(Locale.ROOT, "max %.1f %s", max, unit), r.width - 110, 2, true);
    }
}
