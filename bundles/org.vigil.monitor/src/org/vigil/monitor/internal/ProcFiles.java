package org.vigil.monitor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reading small kernel files (/proc, /sys) whole; they are a few hundred bytes and change between reads. */
final class ProcFiles {
    private ProcFiles() {
    }

    /** The file's text, or empty when it does not exist or cannot be read (some sysfs files refuse reads). */
    static Optional<String> read(Path file) {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** The value of a {@code Key: 123 kB} line of /proc/meminfo or /proc/PID/status, in the file's unit; -1 if absent. */
    static long field(String text, String key) {
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith(key, at) && at + key.length() < end && text.charAt(at + key.length()) == ':') {
                String rest = text.substring(at + key.length() + 1, end).trim();
                try {
                    return Long.parseLong(rest.split("\\s+", 2)[0]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            at = end + 1;
        }
        return -1;
    }
}
