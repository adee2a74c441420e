package org.vigil.ui;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The small pieces the views' forms are made of, so that every view lays out a row of controls, a button and a
 * labelled field the same way. Display thread only; the parents have a {@link GridLayout}.
 *
 * @since 1.1
 */
public final class Forms {
    private Forms() {
    }

    /** A row across the parent with {@code columns} cells and no margin at its sides. */
    public static Composite row(Composite parent, int columns) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayout l = new GridLayout(columns, false);
        l.marginWidth = 0;
        c.setLayout(l);
        c.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        return c;
    }

    /** A push button that runs {@code action} when pressed. */
    public static Button button(Composite parent, String text, Runnable action) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.addListener(SWT.Selection, e -> action.run());
        return b;
    }

    /**
     * A label and, after it, a text field {@code width} pixels wide; with {@code grow} the field also takes the
     * row's spare width.
     */
    public static Text field(Composite parent, String label, int width, boolean grow) {
        new Label(parent, SWT.NONE).setText(label);
        Text t = new Text(parent, SWT.BORDER);
        GridData d = new GridData(grow ? SWT.FILL : SWT.LEFT, SWT.CENTER, grow, false);
        d.widthHint = width;
        t.setLayoutData(d);
        return t;
    }

    /**
     * Asks for a folder, starting at the one {@code field} names, and puts the folder chosen into {@code field}
     * (nothing changes when the user cancels).
     */
    public static void chooseFolder(Text field, String title, String message) {
        DirectoryDialog dialog = new DirectoryDialog(field.getShell());
        dialog.setText(title);
        dialog.setMessage(message);
        if (!field.getText().isBlank()) {
            dialog.setFilterPath(field.getText());
        }
        String chosen = dialog.open();
        if (chosen != null) {
            field.setText(chosen);
        }
    }
}
