package org.vigil.monitor.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * An instance of a component property type with its defaults and some values changed, as DS would make from a
 * configuration, for constructing components directly in a test.
 */
final class Settings {
    private Settings() {
    }

    static <A> A of(Class<A> type, Map<String, Object> values) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
            String name = method.getName();
            if (values.containsKey(name)) {
                return values.get(name);
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (name) {
            case "annotationType" -> type;
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == args[0];
            case "toString" -> type.getSimpleName() + values;
            default -> throw new UnsupportedOperationException(name);
            };
        });
        return type.cast(proxy);
    }

    static <A> A defaults(Class<A> type) {
        return of(type, Map.of());
    }
}
