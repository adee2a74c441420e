package org.vigil.branding.internal;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.vigil.ui.Branding;
import org.vigil.ui.Rgb;

/**
 * Vigil's own branding. Its ranking is low so that a vendor's branding bundle (any ranking above -1000) replaces it
 * without this bundle being removed.
 */
@Component(service = Branding.class, property = "service.ranking:Integer=-1000")
public final class VigilBranding implements Branding {
    private static final int[] ICON_SIZES = { 16, 32, 48, 64, 128, 256 };

    @Override
    public String productName() {
        return "Vigil";
    }

    @Override
    public String aboutText() {
        return "Vigil records your IP cameras around the clock without re-encoding, shows them live, plays recordings "
                + "back on a timeline and backs them up with verified checksums. It runs on one small Linux box and "
                + "keeps its disk from filling up.\n\nVigil is open source under the Apache License 2.0. Its data "
                + "directory holds the settings, the recordings catalog and the logs; 'vigil status' on the command "
                + "line reports its state.";
    }

    @Override
    public List<URL> icons() {
        List<URL> urls = new ArrayList<>();
        for (int size : ICON_SIZES) {
            URL url = VigilBranding.class.getResource("/icons/vigil-" + size + ".png");
            if (url != null) {
                urls.add(url);
            }
        }
        return urls;
    }

    @Override
    public Colors colors() {
        return new Colors(Rgb.of(0x263238), Rgb.of(0xeceff1), Rgb.of(0x1e88e5));
    }
}
