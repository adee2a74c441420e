package org.vigil.gst;

import java.util.List;

/**
 * A GStreamer element Vigil needs is not installed. The message is one sentence that names the element and the
 * Debian package to install, fit to show to the user as it is.
 */
public class MissingElementException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> elements;

    public MissingElementException(String message, List<String> elements) {
        super(message);
        this.elements = List.copyOf(elements);
    }

    /** The missing element factories, in the order they were asked for. */
    public List<String> elements() {
        return elements;
    }
}
