package org.vigil.gst.tests;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.glib.GObject;

/** Reads what a leak would grow: open files, threads, and gst1-java-core's own listener bookkeeping. */
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

    /** Native threads of the process (Java threads and GStreamer's own). */
    static int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no Threads line in /proc/self/status");
    }

    /** The bus listeners gst1-java-core still holds for {@code bus} (its private message proxy list). */
    static int busListeners(Bus bus) {
        return ((List<?>) field(Bus.class, "messageProxies", bus)).size();
    }

    /** Whether gst1-java-core still has a signal watch on {@code bus} (the watch holds the bus strongly). */
    static boolean busWatch(Bus bus) {
        return (Boolean) field(Bus.class, "watchAdded", bus);
    }

    /** GObjects gst1-java-core pins in memory (toggle references), such as objects with connected callbacks. */
    static int pinnedObjects() {
        return ((Map<?, ?>) field(GObject.class, "STRONG_REFS", null)).size();
    }

    static boolean pinned(Object o) {
        return ((Map<?, ?>) field(GObject.class, "STRONG_REFS", null)).containsKey(o);
    }

    private static Object field(Class<?> type, String name, Object target) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("gst1-java-core changed: no field " + type.getSimpleName() + "." + name, e);
        }
    }
}
