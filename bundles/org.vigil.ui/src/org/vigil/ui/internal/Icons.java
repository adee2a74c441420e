package org.vigil.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.ImageData;

/** Decodes icons into device-independent {@link ImageData}, so that no file is read on the display thread. */
final class Icons {
    private static final Logger LOG = System.getLogger(Icons.class.getName());

    private Icons() {
    }

    static Optional<ImageData> read(URL url, String what) {
        try (InputStream in = url.openStream()) {
            return Optional.of(new ImageData(in));
        } catch (IOException | SWTException e) {
            LOG.log(Level.WARNING, "Cannot read {0} from {1}: {2}", what, url, e.getMessage());
            return Optional.empty();
        }
    }

    static List<ImageData> readAll(List<java.net.URL> urls, String what) {
        List<ImageData> result = new ArrayList<>();
        for (URL url : urls) {
            read(url, what).ifPresent(result::add);
        }
        result.sort(Comparator.comparingInt(d -> d.width));
        return List.copyOf(result);
    }

    /** The smallest icon at least {@code size} pixels wide, else the largest. */
    static Optional<ImageData> pick(List<ImageData> icons, int size) {
        for (ImageData d : icons) {
            if (d.width >= size) {
                return Optional.of(d);
            }
        }
        return icons.isEmpty() ? Optional.empty() : Optional.of(icons.get(icons.size() - 1));
    }
}
