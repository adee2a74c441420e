package org.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a leak would grow in this process: open files, native threads, resident memory. */
public final class ProcessProbe {
    private ProcessProbe() {
    }

    public static int openFileDescriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Open files by kind ({@code socket}, {@code pipe}, {@code anon_inode:[eventfd]}, file paths), for reports. */
    public static Map<String, Integer> openFileKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : s.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue;
                }
                String kind = target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe"
                        : target.startsWith("anon_inode:") ? target : target.endsWith(".jar") ? "jar" : target;
                kinds.merge(kind, 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return kinds;
    }

    /** Native threads of the process (Java threads and GStreamer's own). */
    public static int threads() {
        return (int) status("Threads:");
    }

    public static long rssKb() {
        return status("VmRSS:");
    }

    public static long rssMiB() {
        return rssKb() / 1024;
    }

    private static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }
}
