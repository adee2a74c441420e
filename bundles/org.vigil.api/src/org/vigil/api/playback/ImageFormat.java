package org.vigil.api.playback;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The picture formats of a snapshot. */
public enum ImageFormat {
    PNG("png"),
    JPEG("jpg");

    private final String extension;

    ImageFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** The format a file name asks for ({@code .png}, {@code .jpg}, {@code .jpeg}), if it asks for one. */
    public static Optional<ImageFormat> of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return Optional.of(PNG);
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return Optional.of(JPEG);
        }
        return Optional.empty();
    }

    /** {@code png}, {@code jpg} or {@code jpeg}, in any case. */
    public static Optional<ImageFormat> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "png" -> Optional.of(PNG);
            case "jpg", "jpeg" -> Optional.of(JPEG);
            default -> Optional.empty();
        };
    }
}
