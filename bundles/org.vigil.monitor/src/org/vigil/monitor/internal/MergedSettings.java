package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The monitor's settings as they are stored, whichever of its configurations exist. Felix SCR (2.2) stops configuring
 * a component with several configuration PIDs at the first PID that has no configuration
 * ({@code RegionConfigurationSupport.configureComponentHolder} returns at once), and later events carry only the
 * PID that changed: the monitor ({@code org.vigil.monitor}, {@code org.vigil.recording}, {@code org.vigil.retention})
 * started without the recordings root and the retention floor whenever no monitor setting had been made, and
 * reported the unused {@code <data>/recordings} (issue 22, item 7). Reading the configurations from Configuration
 * Admin at activation and at every change closes that gap.
 */
final class MergedSettings {
    private static final Logger LOG = System.getLogger(MergedSettings.class.getName());

    private MergedSettings() {
    }

    /** {@code fromScr} with the stored properties of every PID in {@code pids} over it. */
    static Map<String, Object> merge(Map<String, Object> fromScr, ConfigurationAdmin admin, List<String> pids) {
        Map<String, Object> merged = new HashMap<>(fromScr == null ? Map.of() : fromScr);
        if (admin == null) {
            return merged;
        }
        for (String pid : pids) {
            try {
                Configuration[] found = admin.listConfigurations("(service.pid=" + pid + ")");
                if (found == null || found.length == 0) {
                    continue;
                }
                Dictionary<String, Object> p = found[0].getProperties();
                if (p == null) {
                    continue;
                }
                for (Enumeration<String> keys = p.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    merged.put(k, p.get(k));
                }
            } catch (Exception e) {
                LOG.log(Level.DEBUG, "The configuration {0} could not be read: {1}", pid, e.toString());
            }
        }
        return merged;
    }

    /** {@code props} seen through the component property type {@code type}; absent or unreadable: its default. */
    static <A> A view(Class<A> type, Map<String, Object> props) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, m, args) -> {
            switch (m.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + props;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    return value(m, props.get(m.getName()));
            }
        }));
    }

    private static Object value(Method m, Object v) {
        Object fallback = m.getDefaultValue();
        if (v == null) {
            return fallback;
        }
        Class<?> t = m.getReturnType();
        try {
            if (t == int.class) {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().strip());
            }
            if (t == long.class) {
                return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().strip());
            }
            if (t == double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().strip());
            }
            if (t == boolean.class) {
                return v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString().strip());
            }
            if (t == String.class) {
                return v.toString();
            }
        } catch (NumberFormatException e) {
            return fallback;
        }
        return t.isInstance(v) ? v : fallback;
    }
}
