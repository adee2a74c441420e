package org.vigil.ui;

import java.net.URL;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A product's name, icon, colours and about text, as a service. {@code org.vigil.branding} registers Vigil's own with
 * a low {@code service.ranking}; a vendor's branding bundle registers one with a higher ranking and the workbench
 * switches to it, also at run time. It holds no SWT resources: the workbench creates and disposes them.
 */
@ConsumerType
public interface Branding {
    /** The product's name, used as the window title ("Vigil"). */
    String productName();

    /** A few sentences for the About view: what the product is, who makes it, where to get help. */
    String aboutText();

    /** The product icon as PNGs in several sizes (16 to 256 pixels); the window and the About view pick from them. */
    List<URL> icons();

    /** The colours of the window's navigation and accents. */
    Colors colors();

    /**
     * @param navigation     background of the navigation column
     * @param navigationText text of the navigation column
     * @param accent         selected items, highlights, primary actions
     */
    record Colors(Rgb navigation, Rgb navigationText, Rgb accent) {
    }
}
