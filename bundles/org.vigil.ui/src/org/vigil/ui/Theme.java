package org.vigil.ui;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.osgi.annotation.versioning.ProviderType;

/** Colours and fonts derived from the {@link Branding}, owned by the workbench: views use them and never dispose them. */
@ProviderType
public interface Theme {
    /** The product's accent colour (selected items, primary buttons, highlights). */
    Color accent();

    /** Text saying something went wrong (validation messages, offline cameras). */
    Color problem();

    /** Text saying something needs attention soon (reconnecting, disk filling up). */
    Color warning();

    /** Text saying all is well (saved, recording). */
    Color good();

    /** Secondary text (hints, explanations). */
    Color muted();

    /** A bold, larger font for a view's heading. */
    Font heading();
}
