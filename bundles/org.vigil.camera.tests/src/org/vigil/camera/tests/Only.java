package org.vigil.camera.tests;

import org.junit.jupiter.api.Assumptions;
import org.osgi.framework.BundleContext;

/**
 * The framework property {@code vigil.test.only} (simple class names, comma-separated) runs only those test classes;
 * the others are skipped. {@code all} (the default): everything runs. The 500-cycle soak in {@code releng/bench/} uses it.
 */
final class Only {
    private Only() {
    }

    static void check(BundleContext context, Class<?> testClass) {
        String only = context.getProperty("vigil.test.only");
        if (only == null || only.isBlank() || only.strip().equals("all")) {
            return;
        }
        for (String name : only.split(",")) {
            if (name.strip().equals(testClass.getSimpleName())) {
                return;
            }
        }
        Assumptions.abort("vigil.test.only=" + only);
    }

    static int intProperty(BundleContext context, String key, int fallback) {
        String v = context.getProperty(key);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
