package org.vigil.ui.health.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.vigil.api.command.Bytes;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.CameraReading;
import org.vigil.api.monitor.DiskReading;
import org.vigil.api.monitor.HistoryPoint;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Registration;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Health view. Every {@link #REFRESH_MS} it reads the monitor's current readings and the last
 * {@link #HISTORY} of history off the display thread; alert events arrive through an {@link
 * org.vigil.api.monitor.AlertListener} and are all kept (queued, applied together on the display thread).
 */
final class HealthPanel implements View {
    static final int REFRESH_MS = 2000;
    /** Rows of readings shown without scrolling: CPU, memory, load, temperature, two disks, Vigil. */
    static final int READING_ROWS = 7;
    static final Duration HISTORY = Duration.ofHours(6);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private record Snapshot(Readings readings, List<HistoryPoint> history) {
    }

    private final ViewContext context;
    private final SystemMonitor monitor;
    private final Table readings;
    private final Table cameras;
    private final Table alerts;
    private final List<Chart> charts = new ArrayList<>();
    private final Queue<AlertEvent> arrived = new ConcurrentLinkedQueue<>();
    private final ViewContext.Updates<Boolean> alertTick;
    private final Registration alertListener;
    private final Runnable refresh = this::refresh;
    private final Composite root;
    private Future<?> reading;

    HealthPanel(Composite parent, ViewContext context, SystemMonitor monitor) {
        this.context = context;
        this.monitor = monitor;
        root = new Composite(parent, SWT.NONE);
        // one table a row, each the window's width: the readings (a disk's path) and the alerts' sentences are long
        root.setLayout(new GridLayout(1, false));
        heading("Readings");
        readings = table(root, "Reading", "Value");
        GridData rd = (GridData) readings.getLayoutData();
        rd.grabExcessVerticalSpace = false;
        rd.heightHint = readings.getHeaderHeight() + READING_ROWS * readings.getItemHeight();
        cameras = table(root, "Camera", "State", "Frames/s", "Bit rate");
        ((GridData) cameras.getLayoutData()).heightHint = 80;
        Composite chartRow = new Composite(root, SWT.NONE);
        chartRow.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false));
        chartRow.setLayout(new GridLayout(3, true));
        charts.add(chart(chartRow, "CPU", "%"));
        charts.add(chart(chartRow, "Memory used", "MB"));
        charts.add(chart(chartRow, "Vigil memory", "MB"));
        heading("Alerts");
        alerts = table(root, "Time", "Event", "What happened");
        alertTick = context.updates(x -> drainAlerts());
        alertListener = monitor.addAlertListener(e -> {
            arrived.add(e);
            alertTick.post(Boolean.TRUE);
        });
        context.run("read recent alerts", monitor::recentAlertEvents, events -> {
            for (AlertEvent e : events) {
                addAlert(e, 0); // newest first
            }
            fit(alerts);
        }, e -> context.showMessage("The alerts could not be read: " + e.getMessage()));
        refresh();
    }

    private void heading(String text) {
        Label l = new Label(root, SWT.NONE);
        l.setText(text);
        l.setFont(context.theme().heading());
        l.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    }

    private static Table table(Composite parent, String... columns) {
        Table t = new Table(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.H_SCROLL | SWT.V_SCROLL);
        t.setHeaderVisible(true);
        for (String c : columns) {
            TableColumn col = new TableColumn(t, SWT.LEFT);
            col.setText(c);
        }
        GridData d = new GridData(SWT.FILL, SWT.FILL, true, true);
        d.heightHint = 140;
        t.setLayoutData(d);
        fit(t);
        t.addListener(SWT.Resize, e -> fit(t));
        // a long sentence (an alert, a disk's path) is read whole in the tooltip of its row
        t.addListener(SWT.MouseHover, e -> {
            TableItem item = t.getItem(new Point(e.x, e.y));
            t.setToolTipText(item == null ? null : item.getText(columns.length - 1));
        });
        return t;
    }

    /**
     * Sizes every column to its header and values (what it needs, never less), then gives the last one the room
     * left in the table.
     */
    private static void fit(Table t) {
        TableColumn[] columns = t.getColumns();
        int needed = 0;
        for (TableColumn c : columns) {
            c.pack();
            needed += c.getWidth();
        }
        int room = t.getClientArea().width - needed;
        if (room > 0) {
            TableColumn last = columns[columns.length - 1];
            last.setWidth(last.getWidth() + room);
        }
    }

    private Chart chart(Composite parent, String title, String unit) {
        Chart c = new Chart(parent, context.theme(), title, unit);
        GridData d = new GridData(SWT.FILL, SWT.FILL, true, false);
        d.heightHint = 110;
        c.control().setLayoutData(d);
        return c;
    }

    private void refresh() {
        if (root.isDisposed() || !context.isOpen()) {
            return;
        }
        if (reading == null || reading.isDone()) {
            Instant now = Instant.now();
            reading = context.run("read the health readings", () -> new Snapshot(monitor.current().orElse(null),
                    monitor.history(now.minus(HISTORY), now)), this::show,
                    e -> context.showMessage("The health readings could not be read: " + e.getMessage()));
        }
        root.getDisplay().timerExec(REFRESH_MS, refresh);
    }

    private void show(Snapshot s) {
        if (s.readings() != null) {
            showReadings(s.readings());
        }
        List<HistoryPoint> h = s.history();
        charts.get(0).set(h.stream().map(HistoryPoint::cpuPercent).toList());
        charts.get(1).set(h.stream().map(p -> p.memoryUsedBytes() / 1e6).toList());
        charts.get(2).set(h.stream().map(p -> p.rssBytes() / 1e6).toList());
    }

    private void showReadings(Readings r) {
        List<String[]> rows = new ArrayList<>();
        var host = r.host();
        rows.add(row("CPU", String.format(Locale.ROOT, "%.0f %% of %d cores", host.cpuPercent(), host.cpus())));
        long used = host.memoryTotalBytes() - host.memoryAvailableBytes();
        rows.add(row("Memory", Bytes.text(used) + " of " + Bytes.text(host.memoryTotalBytes()) + " used"));
        rows.add(row("Load", String.format(Locale.ROOT, "%.2f %.2f %.2f", host.load1(), host.load5(), host.load15())));
        rows.add(row("Temperature", host.temperatureCelsius().map(t -> String.format(Locale.ROOT, "%.0f °C", t))
                .orElse("not reported by this machine")));
        for (DiskReading d : r.disks()) {
            rows.add(row("Disk " + d.path(), String.format(Locale.ROOT, "%s free of %s (%.0f %%)",
                    Bytes.text(d.freeBytes()), Bytes.text(d.totalBytes()), d.totalBytes() == 0 ? 0.0 : 100.0 * d.freeBytes() / d.totalBytes())));
        }
        rows.add(row("Vigil", String.format(Locale.ROOT, "%s resident, %d threads, %d open files",
                Bytes.text(r.process().rssBytes()), r.process().threads(), r.process().openFiles())));
        fill(readings, rows);
        fit(readings);
        List<String[]> cams = new ArrayList<>();
        for (CameraReading c : r.cameras()) {
            cams.add(new String[] { c.cameraId(), c.state().name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.1f", c.fps()),
                    String.format(Locale.ROOT, "%.0f kbit/s", c.bitrateBps() / 1000.0) });
        }
        fill(cameras, cams);
        fit(cameras);
    }

    private static String[] row(String name, String value) {
        return new String[] { name, value };
    }

    private static void fill(Table t, List<String[]> rows) {
        t.setRedraw(false);
        try {
            while (t.getItemCount() > rows.size()) {
                t.getItem(t.getItemCount() - 1).dispose();
            }
            for (int i = 0; i < rows.size(); i++) {
                TableItem item = i < t.getItemCount() ? t.getItem(i) : new TableItem(t, SWT.NONE);
                item.setText(rows.get(i));
            }
        } finally {
            t.setRedraw(true);
        }
    }

    private void drainAlerts() {
        for (AlertEvent e; (e = arrived.poll()) != null;) {
            addAlert(e, 0); // newest first
        }
        fit(alerts);
    }

    private void addAlert(AlertEvent e, int index) {
        TableItem item = new TableItem(alerts, SWT.NONE, Math.min(index, alerts.getItemCount()));
        item.setText(new String[] { TIME.format(LocalTime.ofInstant(e.time().truncatedTo(ChronoUnit.SECONDS),
                ZoneId.systemDefault())), e.type() == AlertEvent.Type.RAISED ? "Raised" : "Cleared", e.message() });
        item.setForeground(e.type() == AlertEvent.Type.RAISED ? context.theme().problem() : context.theme().good());
    }

    @Override
    public void dispose() {
        alertListener.close();
        if (reading != null) {
            reading.cancel(false);
        }
        if (!root.isDisposed()) {
            root.getDisplay().timerExec(-1, refresh);
        }
    }
}
