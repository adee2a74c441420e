package org.vigil.api.camera;

import java.util.Locale;
import java.util.Optional;

/** The video encoding a camera sends; {@link #AUTO} picks the codec plugin from the stream itself. */
public enum Codec {
    AUTO, H264, H265, MJPEG;

    /** The lower-case name used in settings and commands: {@code auto}, {@code h264}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Codec> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Codec c : values()) {
            if (c.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
