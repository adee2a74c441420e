package org.vigil.playback.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a leak would grow: open files, threads, resident memory. */
final class ProcessProbe {
    private ProcessProbe() {
    }

    static int openFileDescriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int threads() {
        return (int) status("Threads:");
    }

    /** Resident set size in MiB. */
    static long rssMiB() {
        return status("VmRSS:") / 1024;
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }
}
