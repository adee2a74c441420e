package org.vigil.camera.tests;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.freedesktop.gstreamer.glib.GObject;

/** What a leak would grow: open files, threads, memory, and gst1-java-core's pinned objects. */
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

    /** Open files by kind ({@code socket}, {@code pipe}, {@code anon_inode:[eventfd]}, file paths), for reports. */
    static Map<String, Integer> openFileKinds() {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
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

    static int threads() {
        return (int) status("Threads:");
    }

    static long rssKb() {
        return status("VmRSS:");
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

    /** GObjects gst1-java-core pins in memory (objects with connected callbacks): must not grow. */
    static int pinnedObjects() {
        try {
            Field f = GObject.class.getDeclaredField("STRONG_REFS");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(null)).size();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("gst1-java-core changed: no GObject.STRONG_REFS", e);
        }
    }
}
