package org.vigil.ui.cameras.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.SettingsException;
import org.vigil.ui.Forms;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Cameras view: a table of the configured cameras, the buttons to add, edit and remove one, the
 * confirmation of a removal and the {@link CameraForm}. The settings service is only ever called through
 * {@link ViewContext#run}; a reload requested while one runs is done once, after it.
 */
final class CamerasPanel implements View {
    /** The table's height: room for about eight cameras, or three while the form is open under it. */
    static final int TABLE_HEIGHT = 200;
    static final int TABLE_HEIGHT_WITH_FORM = 80;
    static final String[] COLUMNS = { "Name", "Id", "Main stream", "Codec", "Transport", "Recording", "Enabled",
            "Notes" };

    private final ViewContext context;
    private final CameraStore store;
    private final Composite root;
    private final Table table;
    private final Label state;
    private final Button edit;
    private final Button remove;
    private final Composite confirm;
    private final Label confirmText;
    private final CameraForm form;
    private final ViewContext.Updates<Boolean> changes;
    private boolean loading;
    private boolean reloadWanted;
    private boolean packed;
    private String removing;
    private String selectAfterLoad;

    CamerasPanel(Composite parent, ViewContext context, CameraStore store,
            Supplier<Optional<CameraService>> cameras) {
        this.context = context;
        this.store = store;
        root = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 16;
        layout.marginHeight = 12;
        layout.verticalSpacing = 8;
        root.setLayout(layout);

        Label heading = new Label(root, SWT.NONE);
        heading.setText("Cameras");
        heading.setFont(context.theme().heading());
        Label intro = new Label(root, SWT.WRAP);
        intro.setForeground(context.theme().muted());
        intro.setText("The cameras " + context.branding().productName() + " records. Passwords in stream addresses "
                + "are shown as ***.");
        intro.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        Composite buttons = new Composite(root, SWT.NONE);
        GridLayout bl = new GridLayout(3, false);
        bl.marginWidth = 0;
        buttons.setLayout(bl);
        Forms.button(buttons, "Add camera", this::addCamera);
        edit = Forms.button(buttons, "Edit", () -> selected().ifPresent(this::edit));
        remove = Forms.button(buttons, "Remove", () -> selected().ifPresent(this::askRemove));

        confirm = new Composite(root, SWT.NONE);
        confirm.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout cl = new GridLayout(3, false);
        cl.marginWidth = 0;
        confirm.setLayout(cl);
        confirmText = new Label(confirm, SWT.WRAP);
        confirmText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Forms.button(confirm, "Remove camera", this::remove);
        Forms.button(confirm, "Keep", () -> showConfirm(false));
        showConfirm(false);

        table = new Table(root, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        GridData td = new GridData(SWT.FILL, SWT.FILL, true, true);
        td.heightHint = TABLE_HEIGHT;
        table.setLayoutData(td);
        for (String c : COLUMNS) {
            TableColumn col = new TableColumn(table, SWT.NONE);
            col.setText(c);
            col.setWidth(100);
        }
        state = new Label(root, SWT.WRAP);
        state.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        state.setForeground(context.theme().muted());
        state.setText("Loading cameras…");

        form = new CameraForm(root, context, cameras, this::save, this::updateButtons,
                open -> td.heightHint = open ? TABLE_HEIGHT_WITH_FORM : TABLE_HEIGHT);

        table.addListener(SWT.DefaultSelection, e -> selected().ifPresent(this::edit));
        table.addListener(SWT.Selection, e -> updateButtons());

        changes = context.updates(changed -> reload());
        updateButtons();
        reload();
    }

    private void addCamera() {
        showConfirm(false);
        form.add();
        updateButtons();
    }

    /** A camera configuration changed somewhere (any thread). */
    void camerasChanged() {
        changes.post(Boolean.TRUE);
    }

    private void reload() {
        if (loading) {
            reloadWanted = true;
            return;
        }
        loading = true;
        context.run("list cameras", store::list, this::show, this::loadFailed);
    }

    private void show(List<CameraRow> rows) {
        loading = false;
        String keep = selectAfterLoad != null ? selectAfterLoad : selected().map(CameraRow::id).orElse(null);
        selectAfterLoad = null;
        table.removeAll();
        for (CameraRow row : rows) {
            TableItem item = new TableItem(table, SWT.NONE);
            item.setData(row);
            item.setText(texts(row));
            if (row.problem().isPresent()) {
                item.setForeground(context.theme().problem());
            }
            if (row.id().equals(keep)) {
                table.setSelection(item);
            }
        }
        if (!packed && !rows.isEmpty()) {
            for (TableColumn c : table.getColumns()) {
                c.pack();
                c.setWidth(Math.max(70, Math.min(c.getWidth() + 12, 360)));
            }
            packed = true;
        }
        state.setForeground(context.theme().muted());
        state.setText(rows.isEmpty() ? "No cameras yet. Add one with its RTSP address, for example "
                + "rtsp://192.168.1.20:554/stream1." : rows.size() + (rows.size() == 1 ? " camera." : " cameras."));
        updateButtons();
        root.layout(true, true);
        if (reloadWanted) {
            reloadWanted = false;
            reload();
        }
    }

    static String[] texts(CameraRow row) {
        Optional<CameraConfig> c = row.config();
        String url = c.map(CameraConfig::url).orElse(String.valueOf(row.properties().getOrDefault(CameraProperties.URL,
                "")));
        return new String[] { row.name(), row.id(), CameraUrls.mask(url),
                c.map(x -> codecLabel(x.codec())).orElse(""),
                c.map(x -> x.transport().id().toUpperCase(java.util.Locale.ROOT)).orElse(""),
                c.map(x -> x.record() ? "Yes" : "No").orElse(""), c.map(x -> x.enabled() ? "Yes" : "No").orElse(""),
                row.problem().map(p -> "Not usable: " + p)
                        .orElse(c.flatMap(CameraConfig::subUrl).isPresent() ? "Live view uses the sub-stream" : "") };
    }

    private static String codecLabel(Codec codec) {
        return switch (codec) {
            case AUTO -> "Auto";
            case H264 -> "H.264";
            case H265 -> "H.265";
            case MJPEG -> "MJPEG";
        };
    }

    private void loadFailed(Throwable e) {
        loading = false;
        state.setForeground(context.theme().problem());
        state.setText("The camera settings cannot be read (" + e.getMessage() + "); try again in a moment.");
        root.layout(true, true);
    }

    private Optional<CameraRow> selected() {
        TableItem[] sel = table.getSelection();
        return sel.length == 1 && sel[0].getData() instanceof CameraRow r ? Optional.of(r) : Optional.empty();
    }

    private void updateButtons() {
        boolean one = selected().isPresent();
        edit.setEnabled(one);
        remove.setEnabled(one);
    }

    private void edit(CameraRow row) {
        showConfirm(false);
        form.edit(row);
    }

    private void save(CameraConfig camera, boolean isNew) {
        context.run(isNew ? "add camera" : "save camera", () -> {
            if (isNew) {
                store.add(camera);
            } else {
                store.update(camera);
            }
            return camera;
        }, saved -> {
            form.close();
            selectAfterLoad = saved.id();
            context.showMessage("Camera '" + saved.name() + "' " + (isNew ? "added." : "saved."));
            reload();
        }, e -> form.showProblem(message("saved", e)));
    }

    private void askRemove(CameraRow row) {
        form.close();
        removing = row.id();
        confirmText.setText("Remove the camera '" + row.name() + "' (" + row.id() + ")? Its recordings stay on disk.");
        showConfirm(true);
    }

    private void remove() {
        String id = removing;
        showConfirm(false);
        if (id == null) {
            return;
        }
        context.run("remove camera", () -> store.remove(id), removed -> {
            context.showMessage("Camera '" + id + "' removed; its recordings stay on disk.");
            reload();
        }, e -> {
            state.setForeground(context.theme().problem());
            state.setText(message("removed", e));
            root.layout(true, true);
        });
    }

    private void showConfirm(boolean visible) {
        ((GridData) confirm.getLayoutData()).exclude = !visible;
        confirm.setVisible(visible);
        if (!visible) {
            removing = null;
        }
        root.layout(true, true);
    }

    static String message(String what, Throwable e) {
        if (e instanceof SettingsException && e.getCause() instanceof IOException io) {
            e = io; // the storage failed, not a rule
        }
        if (e instanceof SettingsException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage(); // the settings service's (or the form's) sentence
        }
        if (e instanceof IOException) {
            return "The camera could not be " + what + " (" + e.getMessage() + "); check that the disk is not full "
                    + "and try again.";
        }
        return "The camera could not be " + what + ": " + e;
    }

    @Override
    public void setFocus() {
        table.setFocus();
    }

    @Override
    public void dispose() {
        // Widgets go with the parent and calls in flight are dropped by the context; a connection test in flight
        // is stopped and its picture disposed here.
        form.dispose();
    }
}
