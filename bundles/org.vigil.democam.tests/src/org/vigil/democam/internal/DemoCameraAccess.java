package org.vigil.democam.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.vigil.api.democam.DemoCamera;

/** Test access to the demo camera's package-private parts (the test fragment shares the bundle's class loader). */
public final class DemoCameraAccess {
    private final DemoCameraComponent component;

    public DemoCameraAccess(DemoCamera camera) {
        this.component = (DemoCameraComponent) camera;
    }

    /** Pipelines the mount {@code path} built so far. */
    public int mediasBuilt(String path) {
        return component.mediasBuilt().getOrDefault(path, 0);
    }

    /** Settings with the defaults except {@code overrides} (by method name, such as {@code width}). */
    public static DemoCameraConfig config(Map<String, Object> overrides) {
        return (DemoCameraConfig) Proxy.newProxyInstance(DemoCameraConfig.class.getClassLoader(),
                new Class<?>[] {DemoCameraConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DemoCameraConfig.class;
                    }
                    Object v = overrides.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }
}
