package org.vigil.media;

import java.io.IOException;
import java.util.Objects;

import org.vigil.api.codec.Container;

/**
 * A file that cannot be played at all. The message is one sentence for a user (what is wrong with the file, where),
 * never the text of a Java exception; {@link #container()} is the container the file claims to be.
 */
public final class DamagedMediaException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Container container;

    public DamagedMediaException(Container container, String sentence) {
        super(sentence);
        this.container = Objects.requireNonNull(container, "container");
    }

    public Container container() {
        return container;
    }
}
