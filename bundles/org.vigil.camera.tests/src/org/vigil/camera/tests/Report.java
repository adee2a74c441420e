package org.vigil.camera.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.osgi.framework.BundleContext;

/** Measured figures, printed and appended to {@code <vigil.data>/camera-measurements.txt} for the report. */
final class Report {
    private Report() {
    }

    static void line(BundleContext context, String text) {
        System.out.println("MEASURED " + text);
        String data = context.getProperty("vigil.data");
        if (data == null) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of(data));
            Files.writeString(dir.resolve("camera-measurements.txt"), text + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("cannot write the measurement: " + e);
        }
    }
}
