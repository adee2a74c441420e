package org.vigil.ui.live.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraStatus;
import org.vigil.api.camera.LiveFeed;
import org.vigil.api.platform.Registration;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * The open Live view: the layout buttons and the grid of {@link Tile}s. Any camera status change makes it read the
 * cameras again (off the display thread, the newest request wins); the tiles are rebuilt only when the cameras on
 * screen change, the layout changes or a camera is shown full size, which closes the old tiles' subscriptions.
 */
final class LivePanel implements View {
    /** Widget data key holding a tile's camera id. */
    static final String CAMERA_KEY = "vigil.camera";
    private static final Logger LOG = System.getLogger(LivePanel.class.getName());

    private record Cameras(List<CameraStatus> statuses, Map<String, String> names) {
    }

    private final ViewContext context;
    private final CameraService cameras;
    private final LiveFeed live;
    private final CameraNames names;
    private final Composite root;
    private final Composite grid;
    private final List<Button> layoutButtons = new ArrayList<>();
    private final List<Tile> tiles = new ArrayList<>();
    private final Registration statusListener;
    private final Registration renamed;
    private final ViewContext.Updates<Boolean> changed;
    private GridSize size = GridSize.TWO;
    private String fullSize;
    private Cameras shown = new Cameras(List.of(), Map.of());
    private Future<?> reading;

    LivePanel(Composite parent, ViewContext context, CameraService cameras, LiveFeed live, CameraNames names,
            Renames renames) {
        this.context = context;
        this.cameras = cameras;
        this.live = live;
        this.names = names;
        root = new Composite(parent, SWT.NONE);
        GridLayout rootLayout = new GridLayout(1, false);
        rootLayout.marginWidth = 0;
        rootLayout.marginHeight = 0;
        root.setLayout(rootLayout);
        Composite bar = new Composite(root, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        RowLayout barLayout = new RowLayout(SWT.HORIZONTAL);
        barLayout.center = true;
        bar.setLayout(barLayout);
        new Label(bar, SWT.NONE).setText("Layout:");
        for (GridSize g : GridSize.values()) {
            Button b = new Button(bar, SWT.TOGGLE);
            b.setText(g.label);
            b.setData(g);
            b.addListener(SWT.Selection, e -> choose(g));
            layoutButtons.add(b);
        }
        Label hint = new Label(bar, SWT.NONE);
        hint.setText("Double-click a camera to see it full size; Escape returns to the grid.");
        hint.setForeground(context.theme().muted());
        grid = new Composite(root, SWT.NONE);
        grid.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        grid.setBackground(root.getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY)); // shows between the tiles
        grid.addListener(SWT.KeyDown, this::key);
        markLayout();
        changed = context.updates(x -> read());
        // the camera service only records the listener here and tells it on its own thread
        statusListener = cameras.addStatusListener(s -> changed.post(Boolean.TRUE));
        renamed = renames.add(() -> changed.post(Boolean.TRUE)); // a new name is no status change
        read();
    }

    private void read() {
        if (reading != null) {
            reading.cancel(false);
        }
        reading = context.run("read the cameras", () -> new Cameras(cameras.cameras(), names.read()), this::apply,
                e -> {
                    LOG.log(Level.WARNING, "Reading the cameras failed: " + e, e);
                    context.showMessage("The cameras could not be read: " + e.getMessage());
                });
    }

    private void apply(Cameras now) {
        List<String> before = shown.statuses().stream().map(CameraStatus::cameraId).toList();
        List<String> after = now.statuses().stream().map(CameraStatus::cameraId).toList();
        shown = now;
        if (fullSize != null && !after.contains(fullSize)) {
            fullSize = null;
        }
        if (!before.equals(after) || tiles.isEmpty()) {
            rebuild();
        } else {
            for (Tile t : tiles) {
                statusOf(t.cameraId()).ifPresent(s -> t.update(nameOf(s.cameraId()), s));
            }
        }
    }

    private java.util.Optional<CameraStatus> statusOf(String id) {
        return shown.statuses().stream().filter(s -> s.cameraId().equals(id)).findFirst();
    }

    private String nameOf(String id) {
        return shown.names().getOrDefault(id, id);
    }

    private void choose(GridSize g) {
        size = g;
        fullSize = null;
        markLayout();
        rebuild();
    }

    private void markLayout() {
        for (Button b : layoutButtons) {
            b.setSelection(fullSize == null && b.getData() == size);
        }
    }

    /** Shows one camera over the whole grid (its picture is subscribed at that size). */
    void showFullSize(String cameraId) {
        fullSize = cameraId;
        markLayout();
        rebuild();
    }

    private void backToGrid() {
        if (fullSize != null) {
            fullSize = null;
            markLayout();
            rebuild();
        }
    }

    private void key(Event e) {
        if (e.keyCode == SWT.ESC) {
            backToGrid();
        }
    }

    private void rebuild() {
        for (Tile t : tiles) {
            t.control().dispose();
        }
        tiles.clear();
        for (var c : grid.getChildren()) {
            c.dispose();
        }
        List<CameraStatus> all = shown.statuses();
        if (all.isEmpty()) {
            grid.setLayout(new GridLayout(1, true));
            Label none = new Label(grid, SWT.CENTER | SWT.WRAP);
            none.setText("No cameras yet: add one in the Cameras view.");
            none.setLayoutData(new GridData(SWT.CENTER, SWT.CENTER, true, true));
            grid.layout(true);
            return;
        }
        List<CameraStatus> onScreen = fullSize != null ? statusOf(fullSize).map(List::of).orElse(List.of())
                : all.subList(0, Math.min(all.size(), size.tiles()));
        int columns = fullSize != null ? 1 : size.columns;
        GridLayout layout = new GridLayout(columns, true);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.horizontalSpacing = 2;
        layout.verticalSpacing = 2;
        grid.setLayout(layout);
        int cells = fullSize != null ? 1 : size.tiles();
        for (int i = 0; i < cells; i++) {
            if (i < onScreen.size()) {
                CameraStatus s = onScreen.get(i);
                // one camera full size is worth the main stream's detail; grid tiles take the cheap sub-stream
                Tile t = new Tile(grid, context, live, fullSize != null ? LiveFeed.Stream.MAIN
                        : LiveFeed.Stream.PREVIEW, s.cameraId(), nameOf(s.cameraId()), s);
                t.control().addListener(SWT.MouseDoubleClick, e -> showFullSize(t.cameraId()));
                t.control().addListener(SWT.KeyDown, this::key);
                t.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
                tiles.add(t);
            } else {
                Composite empty = new Composite(grid, SWT.NONE);
                empty.setBackground(grid.getDisplay().getSystemColor(SWT.COLOR_BLACK));
                empty.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
            }
        }
        grid.layout(true);
        if (fullSize != null && !tiles.isEmpty()) {
            tiles.get(0).control().setFocus();
        }
    }

    @Override
    public void setFocus() {
        grid.setFocus();
    }

    @Override
    public void dispose() {
        statusListener.close();
        renamed.close();
        if (reading != null) {
            reading.cancel(false);
        }
        for (Tile t : tiles) {
            t.control().dispose(); // closes its subscription now, not when the workbench disposes the parent
        }
        tiles.clear();
    }
}
