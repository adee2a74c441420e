package org.vigil.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.job.Job;
import org.vigil.api.job.JobRunner;
import org.vigil.api.job.JobState;
import org.vigil.api.platform.Scheduler;
import org.vigil.ui.ViewContribution;

/**
 * Closing the window: with no job running it disposes everything and asks to stop Vigil; with a backup running it
 * asks first. In test mode the workbench records the stop instead of stopping the framework; after each test the
 * component is restarted (disabled and enabled through SCR), which opens a new window on a new display.
 */
class WorkbenchCloseTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 20000)
    ServiceComponentRuntime scr;

    @InjectService(timeout = 20000)
    JobRunner jobs;

    @InjectService(timeout = 20000)
    Scheduler scheduler;

    @BeforeAll
    static void watchLeaks() {
        Leaks.watch();
    }

    @AfterEach
    void reopenTheWorkbench() {
        Ui.restartWorkbench(context, scr);
    }

    @Test
    void closingWithNoJobRunningDisposesEveryViewAndResourceAndStopsVigil() {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        ProbeView probe = new ProbeView("closing", "Closing", 5);
        ServiceRegistration<ViewContribution> reg = probe.register(context);
        try {
            Ui.waitUntilOnUi(display, "the probe is listed", () -> Ui.navigationLabels(window).contains("Closing"));
            Ui.open(display, window, "Closing");
            Ui.open(display, window, "About"); // its icon is an Image the view must dispose
            Ui.waitUntilOnUi(display, "the About view shows the icon", () -> Ui.controls(window.content(),
                    Label.class).stream().anyMatch(l -> l.getImage() != null));
            Leaks.Canary canary = Leaks.plant(display);
            Thread ui = Ui.call(display, Thread::currentThread);

            Ui.run(display, () -> window.shell().close()); // as the window manager's close button does
            Ui.waitUntil("the display thread has ended", () -> !ui.isAlive());
            assertTrue(display.isDisposed());
            assertEquals(List.of(new Workbench.StopRequest("window closed", 0)), workbench.stopRequests());
            assertEquals(1, probe.disposed.get());
            Leaks.assertNoneReported(canary);
        } finally {
            reg.unregister();
        }
    }

    @Test
    void whenTheDesktopSessionEndsTheWindowClosesWithoutAskingAndVigilStops() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        Job<Void> backup = jobs.submit("backup", "Backup of front to /media/usb", ctx -> {
            while (true) {
                ctx.checkCancelled();
                Thread.sleep(5);
            }
        });
        try {
            Ui.waitUntil("the backup runs", () -> backup.state() == JobState.RUNNING);
            Thread ui = Ui.call(display, Thread::currentThread);
            Ui.run(display, display::close); // what SWT does when the session manager ends the session
            Ui.waitUntil("the display thread has ended", () -> !ui.isAlive());
            assertEquals(List.of(new Workbench.StopRequest("window closed", 0)), workbench.stopRequests());
            assertTrue(window.isClosed());
        } finally {
            backup.cancel();
            assertTrue(backup.await(Duration.ofSeconds(10)));
        }
    }

    @Test
    void closingWhileABackupRunsAsksAndDontCloseKeepsTheWindowAndTheJob() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        Job<Void> backup = jobs.submit("backup", "Backup of front to /media/usb", ctx -> {
            for (long done = 0; !ctx.isCancelled(); done++) {
                ctx.progress("copying", Math.min(done, 42), 100, "bytes", 0, 1);
                Thread.sleep(5);
            }
            ctx.checkCancelled();
            return null;
        });
        try {
            Ui.waitUntil("the backup runs", () -> backup.state() == JobState.RUNNING);
            Ui.run(display, () -> window.shell().close());
            Ui.waitUntilOnUi(display, "the question is asked", () -> window.closingDialog().isPresent());
            Shell dialog = Ui.call(display, () -> window.closingDialog().get().shell());
            assertTrue(Ui.call(display, () -> Ui.hasLabel(dialog,
                    t -> t.startsWith("The job 'Backup of front to /media/usb'") && t.contains("has not finished"))));
            Ui.run(display, () -> Ui.click(Ui.button(dialog, ClosingDialog.STAY_LABEL)));

            assertTrue(Ui.call(display, dialog::isDisposed));
            assertTrue(Ui.call(display, () -> window.shell().isVisible()));
            assertFalse(window.isClosed());
            assertEquals(JobState.RUNNING, backup.state());
            assertTrue(workbench.stopRequests().isEmpty());

            // asking again asks again
            Ui.run(display, () -> window.shell().close());
            Ui.waitUntilOnUi(display, "the question is asked again", () -> window.closingDialog().isPresent());
            Ui.run(display, () -> window.closingDialog().get().shell().close()); // the dialog's own close button
            Ui.waitUntilOnUi(display, "the dialog is gone", () -> window.closingDialog().isEmpty());
            assertFalse(window.isClosed());
        } finally {
            backup.cancel();
            assertTrue(backup.await(Duration.ofSeconds(10)));
        }
    }

    @Test
    void stopAndCloseCancelsTheJobWaitsForItsRollbackThenStopsVigil() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        AtomicBoolean rolledBack = new AtomicBoolean();
        AtomicLong endedAt = new AtomicLong();
        Job<Void> deletion = jobs.submit("delete", "Delete recordings of yard before 1 May", ctx -> {
            try {
                while (true) {
                    ctx.checkCancelled();
                    Thread.sleep(5);
                }
            } finally {
                Thread.sleep(200); // rolling back the file in hand takes a moment
                rolledBack.set(true);
                endedAt.set(System.nanoTime());
            }
        });
        Ui.waitUntil("the deletion runs", () -> deletion.state() == JobState.RUNNING);
        Thread ui = Ui.call(display, Thread::currentThread);
        Ui.run(display, () -> window.shell().close());
        Ui.waitUntilOnUi(display, "the question is asked", () -> window.closingDialog().isPresent());
        Ui.run(display, () -> Ui.click(Ui.button(window.closingDialog().get().shell(), ClosingDialog.STOP_LABEL)));

        Ui.waitUntil("the display thread has ended", () -> !ui.isAlive());
        long stoppedAt = System.nanoTime();
        assertEquals(JobState.CANCELLED, deletion.state());
        assertTrue(rolledBack.get(), "the window closed before the job had rolled back");
        assertTrue(endedAt.get() < stoppedAt);
        assertEquals(List.of(new Workbench.StopRequest("window closed", 0)), workbench.stopRequests());
    }

    @Test
    void finishInTheBackgroundClosesTheWindowAndStopsVigilWhenTheJobEnds() throws Exception {
        Workbench workbench = Ui.workbench(context);
        WorkbenchWindow window = Ui.window(workbench);
        Display display = Ui.display(workbench);
        CountDownLatch lastFile = new CountDownLatch(1);
        Job<String> backup = jobs.submit("backup", "Backup of till to /media/usb", ctx -> {
            while (!lastFile.await(5, TimeUnit.MILLISECONDS)) {
                ctx.checkCancelled();
            }
            return "verified";
        });
        Ui.waitUntil("the backup runs", () -> backup.state() == JobState.RUNNING);
        Thread ui = Ui.call(display, Thread::currentThread);
        Ui.run(display, () -> window.shell().close());
        Ui.waitUntilOnUi(display, "the question is asked", () -> window.closingDialog().isPresent());
        Ui.run(display, () -> Ui.click(Ui.button(window.closingDialog().get().shell(),
                ClosingDialog.FINISH_LABEL)));

        Ui.waitUntil("the window is gone", () -> !ui.isAlive());
        assertEquals(JobState.RUNNING, backup.state(), "the backup goes on without the window");
        assertTrue(workbench.stopRequests().isEmpty(), "Vigil keeps running while the backup does");
        lastFile.countDown();
        assertEquals("verified", backup.result().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Ui.waitUntil("Vigil is stopped once the backup has ended", () -> !workbench.stopRequests().isEmpty());
        assertEquals(List.of(new Workbench.StopRequest("jobs ended after the window closed", 0)),
                workbench.stopRequests());
    }

    @Test
    void withoutADisplayOneSentenceSuggestsHeadlessAndVigilStopsWithExitCode1() {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(Workbench.class.getName());
        log.addHandler(capture);
        Workbench headless = new Workbench(context, scheduler, jobs, () -> {
            // exactly what new Display() throws when gtk_init_check() fails (no $DISPLAY, no X server)
            SWT.error(SWT.ERROR_NO_HANDLES, null, " [gtk_init_check() failed]");
            return null;
        });
        headless.start();
        try {
            Ui.waitUntil("the workbench gives up", () -> !headless.stopRequests().isEmpty());
            assertEquals(List.of(new Workbench.StopRequest("no display", 1)), headless.stopRequests());
            LogRecord r = records.stream().filter(x -> x.getLevel() == java.util.logging.Level.SEVERE).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing was logged as an error"));
            String text = new java.util.logging.SimpleFormatter().formatMessage(r);
            assertEquals("The workbench cannot open a window because no display is available (No more handles "
                    + "[gtk_init_check() failed]); run 'vigil run --headless' to record without it.", text);
            assertEquals(null, r.getThrown(), "no stack trace for a missing display");
        } finally {
            headless.deactivate();
            log.removeHandler(capture);
        }
    }
}
