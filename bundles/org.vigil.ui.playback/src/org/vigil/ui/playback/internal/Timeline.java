package org.vigil.ui.playback.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.vigil.api.playback.TimeRange;
import org.vigil.ui.Theme;

/**
 * A day's timeline: recorded spans over the gaps, hour (or finer) ticks, the playback position as a cursor and the
 * export range. The mouse wheel zooms around the pointer down to ten seconds; a click or a drag seeks. Display thread only.
 */
final class Timeline {
    static final Duration MIN_WINDOW = Duration.ofSeconds(10);
    private static final int BAR_TOP = 18;
    private static final long[] TICKS_SECONDS = { 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 3 * 3600 };

    private final Canvas canvas;
    private final Theme theme;
    private final Consumer<Instant> seek;
    private ZoneId zone = ZoneId.systemDefault();
    private TimeRange day = new TimeRange(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(1)));
    private Instant from = day.start();
    private Instant to = day.end();
    private List<TimeRange> spans = List.of();
    private Optional<Instant> position = Optional.empty();
    private Optional<TimeRange> range = Optional.empty();
    private boolean dragging;

    Timeline(Composite parent, Theme theme, Consumer<Instant> seek) {
        this.theme = theme;
        this.seek = seek;
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.addPaintListener(e -> paint(e.gc));
        canvas.addListener(SWT.MouseDown, e -> {
            if (e.button == 1) {
                dragging = true;
                seek.accept(timeAt(e.x));
            }
        });
        canvas.addListener(SWT.MouseMove, e -> {
            if (dragging) {
                seek.accept(timeAt(e.x));
            }
        });
        canvas.addListener(SWT.MouseUp, e -> dragging = false);
        canvas.addListener(SWT.MouseVerticalWheel, e -> zoom(e.count > 0 ? 0.5 : 2, timeAt(e.x)));
    }

    Canvas control() {
        return canvas;
    }

    /** Shows a new day with its recorded spans (merged, sorted), zoomed out to the whole day. */
    void showDay(TimeRange newDay, ZoneId newZone, List<TimeRange> recorded) {
        day = newDay;
        zone = newZone;
        spans = List.copyOf(recorded);
        from = day.start();
        to = day.end();
        canvas.redraw();
    }

    void setPosition(Instant at) {
        position = Optional.of(at);
        canvas.redraw();
    }

    void setRange(Optional<TimeRange> r) {
        range = r;
        canvas.redraw();
    }

    /** Zooms by {@code factor} (below 1 zooms in) keeping {@code around} where it is on screen. */
    void zoom(double factor, Instant around) {
        long span = Duration.between(from, to).toMillis();
        long newSpan = Math.max(MIN_WINDOW.toMillis(), Math.min(day.duration().toMillis(), (long) (span * factor)));
        double share = span <= 0 ? 0.5 : (double) Duration.between(from, around).toMillis() / span;
        Instant start = around.minusMillis((long) (newSpan * share));
        setWindow(start, start.plusMillis(newSpan));
    }

    void zoom(double factor) {
        zoom(factor, from.plus(Duration.between(from, to).dividedBy(2)));
    }

    /** Shows exactly the recorded spans (at least ten seconds), or the whole day when there are none. */
    void fit() {
        if (spans.isEmpty()) {
            setWindow(day.start(), day.end());
            return;
        }
        Instant start = spans.get(0).start();
        Instant end = spans.get(spans.size() - 1).end();
        if (Duration.between(start, end).compareTo(MIN_WINDOW) < 0) {
            end = start.plus(MIN_WINDOW);
        }
        from = start;
        to = end;
        canvas.redraw();
    }

    TimeRange window() {
        return new TimeRange(from, to);
    }

    private void setWindow(Instant start, Instant end) {
        long span = Duration.between(start, end).toMillis();
        if (start.isBefore(day.start())) {
            start = day.start();
            end = start.plusMillis(span);
        }
        if (end.isAfter(day.end())) {
            end = day.end();
            start = end.minusMillis(span);
        }
        from = start;
        to = end;
        canvas.redraw();
    }

    Instant timeAt(int x) {
        int w = Math.max(1, canvas.getClientArea().width);
        long span = Duration.between(from, to).toMillis();
        return from.plusMillis(Math.round((double) Math.max(0, Math.min(w, x)) * span / w));
    }

    int xOf(Instant t) {
        int w = canvas.getClientArea().width;
        long span = Math.max(1, Duration.between(from, to).toMillis());
        return (int) Math.round((double) Duration.between(from, t).toMillis() * w / span);
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        int barHeight = Math.max(8, area.height - BAR_TOP - 2);
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_BACKGROUND));
        gc.fillRectangle(area);
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
        gc.fillRectangle(0, BAR_TOP, area.width, barHeight);
        gc.setBackground(theme.good());
        for (TimeRange s : spans) {
            if (s.end().isAfter(from) && s.start().isBefore(to)) {
                int x1 = Math.max(0, xOf(s.start()));
                int x2 = Math.min(area.width, xOf(s.end()));
                gc.fillRectangle(x1, BAR_TOP, Math.max(1, x2 - x1), barHeight);
            }
        }
        range.ifPresent(r -> {
            gc.setAlpha(90);
            gc.setBackground(theme.accent());
            int x1 = xOf(r.start());
            gc.fillRectangle(x1, BAR_TOP, Math.max(2, xOf(r.end()) - x1), barHeight);
            gc.setAlpha(255);
        });
        paintTicks(gc, area);
        position.filter(p -> !p.isBefore(from) && !p.isAfter(to)).ifPresent(p -> {
            gc.setForeground(theme.accent());
            gc.setLineWidth(2);
            int x = xOf(p);
            gc.drawLine(x, BAR_TOP - 4, x, area.height);
            gc.setLineWidth(1);
        });
    }

    private void paintTicks(GC gc, Rectangle area) {
        long spanSeconds = Math.max(1, Duration.between(from, to).toSeconds());
        long step = TICKS_SECONDS[TICKS_SECONDS.length - 1];
        for (long s : TICKS_SECONDS) {
            if (spanSeconds / s <= Math.max(2, area.width / 70)) {
                step = s;
                break;
            }
        }
        DateTimeFormatter f = DateTimeFormatter.ofPattern(step < 60 ? "HH:mm:ss" : "HH:mm").withZone(zone);
        long first = (from.getEpochSecond() + offsetSeconds() + step - 1) / step * step - offsetSeconds();
        gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
        for (long t = first; t <= to.getEpochSecond(); t += step) {
            Instant at = Instant.ofEpochSecond(t);
            int x = xOf(at);
            gc.drawLine(x, BAR_TOP - 4, x, BAR_TOP);
            String text = f.format(at);
            Point size = gc.textExtent(text);
            gc.drawText(text, Math.max(0, Math.min(area.width - size.x, x - size.x / 2)), 0, true);
        }
    }

    private long offsetSeconds() {
        return zone.getRules().getOffset(from).getTotalSeconds();
    }
}
