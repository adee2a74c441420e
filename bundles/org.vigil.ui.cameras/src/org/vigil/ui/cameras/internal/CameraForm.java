package org.vigil.ui.cameras.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.Transport;
import org.vigil.api.config.CameraProperties;
import org.vigil.ui.ViewContext;

/**
 * The form to add or edit one camera. It validates with {@link CameraProperties#toConfig(Map)} (the rules of
 * {@link CameraConfig}) and shows the first problem as one sentence under the fields. Passwords in URLs are shown
 * masked; a masked URL left as it was keeps the stored password. "Test connection" tries the main stream URL as it
 * stands in the form (with the codec and transport chosen) and shows what the camera sends ({@link ConnectionTest}).
 */
final class CameraForm {
    /** Called with valid settings when the user saves. */
    @FunctionalInterface
    interface SaveAction {
        void save(CameraConfig camera, boolean isNew);
    }

    static final String MASK = ":***@";
    private static final Codec[] CODECS = { Codec.AUTO, Codec.H264, Codec.H265, Codec.MJPEG };
    private static final String[] CODEC_LABELS = { "Detect automatically", "H.264", "H.265", "Motion JPEG" };
    private static final Transport[] TRANSPORTS = { Transport.TCP, Transport.UDP };
    private static final String[] TRANSPORT_LABELS = { "TCP (recommended)", "UDP" };

    private final Group group;
    private final Text id;
    private final Text name;
    private final Text url;
    private final Text subUrl;
    private final Combo codec;
    private final Combo transport;
    private final Button record;
    private final Button enabled;
    private final Spinner segment;
    private final Spinner watchdog;
    private final Spinner reconnectMin;
    private final Spinner reconnectMax;
    private final Label problem;
    private final Button save;
    private final ConnectionTest test;
    private final SaveAction action;
    private final Consumer<Boolean> shown;
    private boolean isNew;
    private Optional<String> originalUrl = Optional.empty();
    private Optional<String> originalSubUrl = Optional.empty();
    private boolean validateWhileTyping;

    CameraForm(Composite parent, ViewContext context, Supplier<Optional<CameraService>> cameras, SaveAction action,
            Runnable onClose, Consumer<Boolean> shown) {
        this.action = action;
        this.shown = shown;
        group = new Group(parent, SWT.NONE);
        group.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        GridLayout layout = new GridLayout(4, false);
        layout.marginWidth = 10;
        layout.marginHeight = 8;
        layout.horizontalSpacing = 10;
        group.setLayout(layout);

        id = text("Id", 1, "front-door: a-z, 0-9, '-' and '_'");
        codec = combo("Codec", CODEC_LABELS);
        name = text("Name", 1, "Front door");
        transport = combo("Transport", TRANSPORT_LABELS);
        url = text("Main stream URL", 3, "rtsp://user:password@192.168.1.20:554/stream1");
        subUrl = text("Sub-stream URL", 3, "optional: a smaller stream the live view uses");
        record = check("Record this camera");
        enabled = check("Camera enabled");
        segment = spinner("Segment length (s)", 1, 3600);
        watchdog = spinner("Stream lost after (s)", 1, 600);
        reconnectMin = spinner("Reconnect after (s)", 1, 3600);
        reconnectMax = spinner("Reconnect at most every (s)", 1, 3600);

        problem = new Label(group, SWT.WRAP);
        problem.setForeground(context.theme().problem());
        GridData pd = new GridData(SWT.FILL, SWT.CENTER, true, false, 4, 1);
        pd.widthHint = 500;
        problem.setLayoutData(pd);

        // the test's picture and line share the last row with the buttons, so that the form stays low
        test = new ConnectionTest(group, 4, context, cameras, () -> group.getParent().layout(true, true));
        Composite buttons = new Composite(test.row(), SWT.NONE);
        buttons.setLayoutData(new GridData(SWT.END, SWT.END, false, false));
        buttons.setLayout(new GridLayout(3, false));
        Button testButton = new Button(buttons, SWT.PUSH);
        testButton.setText("Test connection");
        testButton.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        testButton.addListener(SWT.Selection, e -> testConnection());
        save = new Button(buttons, SWT.PUSH);
        save.setText("Save");
        save.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        save.addListener(SWT.Selection, e -> save());
        Button cancel = new Button(buttons, SWT.PUSH);
        cancel.setText("Cancel");
        cancel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        cancel.addListener(SWT.Selection, e -> {
            close();
            onClose.run();
        });
        for (Text t : new Text[] { id, name, url, subUrl }) {
            t.addListener(SWT.DefaultSelection, e -> save());
            t.addListener(SWT.Modify, e -> revalidate());
        }
        setVisible(false);
    }

    private Label label(String text) {
        Label l = new Label(group, SWT.NONE);
        l.setText(text);
        return l;
    }

    private Text text(String label, int span, String hint) {
        label(label);
        Text t = new Text(group, SWT.BORDER | SWT.SINGLE);
        t.setMessage(hint);
        GridData d = new GridData(SWT.FILL, SWT.CENTER, true, false, span, 1);
        d.widthHint = 220;
        t.setLayoutData(d);
        return t;
    }

    private Combo combo(String label, String[] items) {
        label(label);
        Combo c = new Combo(group, SWT.READ_ONLY | SWT.DROP_DOWN);
        c.setItems(items);
        c.select(0);
        c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false));
        return c;
    }

    private Button check(String text) {
        Button b = new Button(group, SWT.CHECK);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false, 2, 1));
        return b;
    }

    private Spinner spinner(String label, int min, int max) {
        label(label);
        Spinner s = new Spinner(group, SWT.BORDER);
        s.setValues(min, min, max, 0, 1, 10);
        s.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false));
        return s;
    }

    /** Opens the form empty, with the defaults of a new camera. */
    void add() {
        isNew = true;
        group.setText("New camera");
        originalUrl = Optional.empty();
        originalSubUrl = Optional.empty();
        id.setEditable(true);
        id.setEnabled(true);
        fill(Map.of());
        open();
        id.setFocus();
    }

    /** Opens the form with a camera's settings (also a camera whose stored settings are not valid, to fix them). */
    void edit(CameraRow row) {
        isNew = false;
        group.setText("Edit camera '" + row.id() + "'");
        Map<String, Object> p = row.config().map(CameraProperties::toProperties).orElse(row.properties());
        originalUrl = Optional.ofNullable(p.get(CameraProperties.URL)).map(String::valueOf);
        originalSubUrl = Optional.ofNullable(p.get(CameraProperties.SUB_URL)).map(String::valueOf)
                .filter(s -> !s.isBlank());
        Map<String, Object> shown = new LinkedHashMap<>(p);
        shown.put(CameraProperties.ID, row.id());
        fill(shown);
        id.setEditable(false);
        id.setEnabled(false); // the id names the camera's recordings folder: it cannot change
        open();
        name.setFocus();
    }

    private void fill(Map<String, Object> p) {
        validateWhileTyping = false;
        id.setText(string(p, CameraProperties.ID, ""));
        name.setText(string(p, CameraProperties.NAME, ""));
        url.setText(originalUrl.map(CameraUrls::mask).orElse(""));
        subUrl.setText(originalSubUrl.map(CameraUrls::mask).orElse(""));
        codec.select(Math.max(0, indexOf(CODECS, Codec.parse(string(p, CameraProperties.CODEC, "")).orElse(Codec.AUTO))));
        transport.select(Math.max(0, indexOf(TRANSPORTS,
                Transport.parse(string(p, CameraProperties.TRANSPORT, "")).orElse(Transport.TCP))));
        record.setSelection(bool(p, CameraProperties.RECORD));
        enabled.setSelection(bool(p, CameraProperties.ENABLED));
        segment.setSelection(seconds(p, CameraProperties.SEGMENT, CameraConfig.DEFAULT_SEGMENT.toSeconds()));
        watchdog.setSelection(seconds(p, CameraProperties.WATCHDOG, CameraConfig.DEFAULT_WATCHDOG.toSeconds()));
        reconnectMin.setSelection(seconds(p, CameraProperties.RECONNECT_MIN,
                CameraConfig.DEFAULT_RECONNECT_MIN.toSeconds()));
        reconnectMax.setSelection(seconds(p, CameraProperties.RECONNECT_MAX,
                CameraConfig.DEFAULT_RECONNECT_MAX.toSeconds()));
        problem.setText("");
        save.setEnabled(true);
    }

    private void open() {
        test.reset();
        setVisible(true);
        group.getParent().layout(true, true);
    }

    void close() {
        test.reset();
        setVisible(false);
        group.getParent().layout(true, true);
    }

    boolean isOpen() {
        return group.getVisible();
    }

    private void setVisible(boolean visible) {
        ((GridData) group.getLayoutData()).exclude = !visible;
        group.setVisible(visible);
        shown.accept(visible);
    }

    /** Shows why saving failed and lets the user try again. */
    void showProblem(String text) {
        problem.setText(text);
        save.setEnabled(true);
        validateWhileTyping = true;
        group.getParent().layout(true, true);
    }

    private void save() {
        if (!save.isEnabled()) {
            return;
        }
        CameraConfig camera;
        try {
            camera = validate();
        } catch (IllegalArgumentException e) {
            showProblem(e.getMessage());
            return;
        }
        problem.setText("");
        save.setEnabled(false); // until the result arrives
        action.save(camera, isNew);
    }

    /** Tests the main stream URL as it stands (a masked one: the stored URL) with the chosen codec and transport. */
    private void testConnection() {
        String main;
        try {
            main = CameraUrls.requireRtsp("main stream URL", restore("main stream URL", url.getText(), originalUrl));
        } catch (IllegalArgumentException e) {
            showProblem(e.getMessage());
            return;
        }
        if (!validateWhileTyping) {
            problem.setText("");
        }
        test.start(main, TRANSPORTS[Math.max(0, transport.getSelectionIndex())],
                CODECS[Math.max(0, codec.getSelectionIndex())]);
    }

    /** Stops a running connection test and releases its picture (the view is closing). */
    void dispose() {
        test.dispose();
    }

    private void revalidate() {
        if (!validateWhileTyping) {
            return;
        }
        try {
            validate();
            problem.setText("");
        } catch (IllegalArgumentException e) {
            problem.setText(e.getMessage());
        }
        group.getParent().layout(true, true);
    }

    /** The settings in the form, validated; throws with the first problem as one sentence. */
    CameraConfig validate() {
        Map<String, Object> p = new LinkedHashMap<>();
        // an empty field is a missing value: the rules then say what is missing rather than what is wrong
        putText(p, CameraProperties.ID, id.getText().strip());
        putText(p, CameraProperties.NAME, name.getText().strip());
        putText(p, CameraProperties.URL, restore("main stream URL", url.getText(), originalUrl));
        putText(p, CameraProperties.SUB_URL, restore("sub-stream URL", subUrl.getText(), originalSubUrl));
        p.put(CameraProperties.CODEC, CODECS[Math.max(0, codec.getSelectionIndex())].id());
        p.put(CameraProperties.TRANSPORT, TRANSPORTS[Math.max(0, transport.getSelectionIndex())].id());
        p.put(CameraProperties.RECORD, record.getSelection());
        p.put(CameraProperties.ENABLED, enabled.getSelection());
        p.put(CameraProperties.SEGMENT, segment.getSelection());
        p.put(CameraProperties.WATCHDOG, watchdog.getSelection());
        p.put(CameraProperties.RECONNECT_MIN, reconnectMin.getSelection());
        p.put(CameraProperties.RECONNECT_MAX, reconnectMax.getSelection());
        return CameraProperties.toConfig(p);
    }

    /**
     * The URL the user means: the stored one when the masked text was left as shown; otherwise what was typed, which
     * must not still hold the mask.
     */
    static String restore(String field, String typed, Optional<String> original) {
        String t = typed.strip();
        if (original.isPresent() && t.equals(CameraUrls.mask(original.get()))) {
            return original.get();
        }
        if (t.contains(MASK)) {
            throw new IllegalArgumentException("The " + field + " still shows *** in place of the password; type the "
                    + "camera's password there (or remove ':***' for a camera without one).");
        }
        return t;
    }

    Control control() {
        return group;
    }

    private static void putText(Map<String, Object> p, String key, String value) {
        if (!value.isEmpty()) {
            p.put(key, value);
        }
    }

    private static String string(Map<String, Object> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null ? fallback : String.valueOf(v);
    }

    private static boolean bool(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null || Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v).trim())
                || "on".equalsIgnoreCase(String.valueOf(v).trim());
    }

    private static int seconds(Map<String, Object> p, String key, long fallback) {
        Object v = p.get(key);
        try {
            return v == null ? (int) fallback : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return (int) fallback;
        }
    }

    private static <T> int indexOf(T[] values, T value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
