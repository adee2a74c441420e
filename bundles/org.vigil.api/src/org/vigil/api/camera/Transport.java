package org.vigil.api.camera;

import java.util.Locale;
import java.util.Optional;

/** RTSP lower transport. TCP is the default: it survives packet loss without smearing recorded frames. */
public enum Transport {
    TCP, UDP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Transport> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Transport t : values()) {
            if (t.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
