package org.vigil.ui;

/** A colour as red, green and blue in 0..255: branding stays free of SWT resources. */
public record Rgb(int red, int green, int blue) {
    public Rgb {
        if ((red | green | blue) < 0 || red > 255 || green > 255 || blue > 255) {
            throw new IllegalArgumentException("A colour component must be 0 to 255: " + red + "," + green + "," + blue);
        }
    }

    /** {@code Rgb.of(0x1f6feb)}. */
    public static Rgb of(int rgb) {
        return new Rgb((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
    }
}
