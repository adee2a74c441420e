package org.vigil.testing;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.glib.GObject;

/**
 * gst1-java-core's own bookkeeping, which a leak of GStreamer objects grows (read by reflection; only loaded by tests
 * whose runtime has gst1-java-core).
 */
public final class GstProbe {
    private GstProbe() {
    }

    /** The bus listeners gst1-java-core still holds for {@code bus} (its private message proxy list). */
    public static int busListeners(Bus bus) {
        return ((List<?>) field(Bus.class, "messageProxies", bus)).size();
    }

    /** Whether gst1-java-core still has a signal watch on {@code bus} (the watch holds the bus strongly). */
    public static boolean busWatch(Bus bus) {
        return (Boolean) field(Bus.class, "watchAdded", bus);
    }

    /** GObjects gst1-java-core pins in memory (toggle references), such as objects with connected callbacks. */
    public static int pinnedObjects() {
        return ((Map<?, ?>) field(GObject.class, "STRONG_REFS", null)).size();
    }

    public static boolean pinned(Object o) {
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
