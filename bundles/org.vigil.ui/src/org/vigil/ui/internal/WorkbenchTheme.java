package org.vigil.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.vigil.ui.Rgb;
import org.vigil.ui.Theme;

/** The theme views get: colours from the branding, fonts made once per window and disposed with it. */
final class WorkbenchTheme implements Theme {
    private final Font heading;
    private final Color problem;
    private final Color warning;
    private final Color good;
    private final Color muted;
    private volatile Color accent;

    WorkbenchTheme(Display display, Rgb accent) {
        FontData[] data = display.getSystemFont().getFontData();
        for (FontData fd : data) {
            fd.setHeight(fd.getHeight() + 5);
            fd.setStyle(SWT.BOLD);
        }
        this.heading = new Font(display, data);
        this.problem = new Color(0xb7, 0x1c, 0x1c);
        this.warning = new Color(0xb2, 0x6a, 0x00);
        this.good = new Color(0x2e, 0x7d, 0x32);
        this.muted = new Color(0x61, 0x61, 0x61);
        this.accent = color(accent);
    }

    static Color color(Rgb rgb) {
        return new Color(new RGB(rgb.red(), rgb.green(), rgb.blue()));
    }

    void setAccent(Rgb rgb) {
        accent = color(rgb);
    }

    @Override
    public Color accent() {
        return accent;
    }

    @Override
    public Color problem() {
        return problem;
    }

    @Override
    public Color warning() {
        return warning;
    }

    @Override
    public Color good() {
        return good;
    }

    @Override
    public Color muted() {
        return muted;
    }

    @Override
    public Font heading() {
        return heading;
    }

    void dispose() {
        heading.dispose();
    }
}
