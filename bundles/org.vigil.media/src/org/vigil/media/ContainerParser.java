package org.vigil.media;

import java.io.IOException;

import org.vigil.api.codec.Container;

/** One container's reader, with the place it is reading (for the sentence when a part turns out damaged). */
abstract class ContainerParser {
    private String where = "the start of the file";

    abstract Container container();

    abstract MediaIndex run() throws IOException;

    /** What is being read, as part of a sentence: "its moof box at byte 1234". */
    final String where() {
        return where;
    }

    final void at(String what) {
        where = what;
    }

    final DamagedMediaException damaged(String sentence) {
        return new DamagedMediaException(container(), sentence);
    }
}
