package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Resource;
import org.eclipse.swt.widgets.Display;
import org.vigil.testing.Await;

/**
 * Fails a test on any SWT resource that was garbage collected without being disposed. The test framework runs with
 * {@code -Dorg.eclipse.swt.graphics.Resource.reportNonDisposed=true} (as a framework property, which the bnd launcher
 * also sets as a system property), so every resource is tracked from the workbench's start; this class takes the
 * reports over through SWT's hook. A report only comes when the resource is collected, so a check first drops a
 * resource on purpose (the canary) and collects garbage until the canary is reported: by then the others would be.
 */
final class Leaks {
    private static final String CANARY = "canaryImage";
    private static final List<Error> REPORTS = new CopyOnWriteArrayList<>();

    static {
        Resource.setNonDisposeHandler(REPORTS::add);
    }

    private Leaks() {
    }

    /** Starts watching (loads this class); call before the resources to watch are made. */
    static void watch() {
        if (!Boolean.getBoolean("org.eclipse.swt.graphics.Resource.reportNonDisposed")) {
            System.err.println("Leaks: reportNonDisposed is not set as a system property; only resources made from"
                    + " now on are tracked.");
        }
    }

    /** A resource leaked on purpose; drop it, then {@link #assertNoneReported(Canary)}. */
    static final class Canary {
        private Image image;

        boolean alive() {
            return image != null && !image.isDisposed();
        }
    }

    static Canary plant(Display display) {
        Canary c = new Canary();
        Ui.run(display, () -> c.image = canaryImage(display));
        return c;
    }

    private static Image canaryImage(Display display) {
        return new Image(display, 1, 1);
    }

    /** Collects garbage until {@code canary} is reported, then fails on any other report. */
    static void assertNoneReported(Canary canary) {
        if (!canary.alive()) {
            fail("The canary was disposed: the leak check cannot work.");
        }
        canary.image = null;
        Await.until("the resource leaked on purpose is reported (else the leak check does not work)", Ui.TIMEOUT,
                Duration.ofMillis(50), () -> {
                    if (REPORTS.stream().anyMatch(Leaks::isCanary)) {
                        return true;
                    }
                    System.gc();
                    return false;
                });
        List<Error> leaks = REPORTS.stream().filter(e -> !isCanary(e)).toList();
        REPORTS.clear();
        if (!leaks.isEmpty()) {
            StringWriter text = new StringWriter();
            try (PrintWriter out = new PrintWriter(text)) {
                for (Error e : leaks) {
                    e.printStackTrace(out);
                }
            }
            fail(leaks.size() + " SWT resource(s) were not disposed; made here:\n" + text);
        }
    }

    static void assertNoneReported(Display display) {
        assertNoneReported(plant(display));
    }

    private static boolean isCanary(Error e) {
        for (StackTraceElement s : e.getStackTrace()) {
            if (s.getMethodName().equals(CANARY)) {
                return true;
            }
        }
        return false;
    }
}
