package org.vigil.ui.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.vigil.ui.StatusReading;

/**
 * The status bar: the newest message for the user on the left, then one label per status item. Only the display
 * thread touches it; readings arrive through the window's {@link UiUpdater}.
 */
final class StatusBar {
    static final Duration MESSAGE_TIME = Duration.ofSeconds(15);

    private final Composite bar;
    private final Label message;
    private final WorkbenchTheme theme;
    private final Map<String, Label> items = new LinkedHashMap<>();
    private final List<Control> separators = new ArrayList<>();
    private long messageShownAt;

    StatusBar(Composite parent, WorkbenchTheme theme) {
        this.theme = theme;
        bar = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginHeight = 3;
        layout.marginWidth = 8;
        layout.horizontalSpacing = 10;
        bar.setLayout(layout);
        message = new Label(bar, SWT.NONE);
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    }

    Composite control() {
        return bar;
    }

    void showMessage(String text) {
        message.setText(text == null ? "" : text.replace('\n', ' '));
        message.setToolTipText(text);
        messageShownAt = System.nanoTime();
    }

    /** Shows the readings; items are added, replaced or removed as their sources come and go. */
    void show(List<Workbench.StatusItem> readings) {
        if (bar.isDisposed()) {
            return;
        }
        if (messageShownAt != 0 && System.nanoTime() - messageShownAt > MESSAGE_TIME.toNanos()) {
            message.setText("");
            message.setToolTipText(null);
            messageShownAt = 0;
        }
        List<String> ids = readings.stream().map(Workbench.StatusItem::id).toList();
        boolean changed = !new ArrayList<>(items.keySet()).equals(ids);
        if (changed) {
            items.values().forEach(Label::dispose);
            separators.forEach(Control::dispose);
            items.clear();
            separators.clear();
            for (String id : ids) {
                Label sep = new Label(bar, SWT.SEPARATOR | SWT.VERTICAL);
                GridData sd = new GridData(SWT.CENTER, SWT.FILL, false, false);
                sd.heightHint = 16;
                sep.setLayoutData(sd);
                separators.add(sep);
                Label l = new Label(bar, SWT.NONE);
                l.setData(StatusBar.class.getName(), id);
                l.setLayoutData(new GridData(SWT.RIGHT, SWT.CENTER, false, false));
                items.put(id, l);
            }
            ((GridLayout) bar.getLayout()).numColumns = 1 + 2 * ids.size();
        }
        boolean resized = changed;
        for (Workbench.StatusItem item : readings) {
            Label l = items.get(item.id());
            StatusReading r = item.reading();
            if (!r.text().equals(l.getText())) {
                resized |= r.text().length() != l.getText().length();
                l.setText(r.text());
            }
            l.setToolTipText(r.detail().isEmpty() ? null : r.detail());
            l.setForeground(color(r.level()));
        }
        if (resized) {
            bar.layout(true, true);
        }
    }

    private Color color(StatusReading.Level level) {
        return switch (level) {
            case NORMAL -> null;
            case GOOD -> theme.good();
            case WARNING -> theme.warning();
            case PROBLEM -> theme.problem();
        };
    }

    /** The texts shown, by item id, and the message under "message" (tests). */
    Map<String, String> texts() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("message", message.getText());
        items.forEach((id, l) -> t.put(id, l.getText()));
        return t;
    }
}
