package org.vigil.ui.internal;

import java.net.URL;
import java.util.List;

import org.eclipse.swt.graphics.ImageData;
import org.vigil.ui.Branding;
import org.vigil.ui.Rgb;

/** A branding with its icons decoded (off the display thread); {@link #FALLBACK} when no branding service exists. */
record LoadedBranding(Branding branding, List<ImageData> icons) {

    static final LoadedBranding FALLBACK = new LoadedBranding(new Branding() {
        @Override
        public String productName() {
            return "Vigil";
        }

        @Override
        public String aboutText() {
            return "Vigil, a network video recorder.";
        }

        @Override
        public List<URL> icons() {
            return List.of();
        }

        @Override
        public Colors colors() {
            return new Colors(Rgb.of(0x263238), Rgb.of(0xeceff1), Rgb.of(0x1e88e5));
        }
    }, List.of());

    static LoadedBranding load(Branding branding) {
        return new LoadedBranding(branding, Icons.readAll(branding.icons(), "the product icon"));
    }

    String productName() {
        String name = branding.productName();
        return name == null || name.isBlank() ? "Vigil" : name;
    }
}
