package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.job.JobRunner;
import org.vigil.api.platform.Registration;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.StorageService;
import org.vigil.testing.Await;

/**
 * {@code vigil storage import} and {@code vigil recordings delete} whose client goes away (Ctrl-C on a command run
 * through the control socket): the command cancels its job, which stops part-way and leaves no temporary file.
 */
class ClientGoneTest {
    @InjectService(timeout = 10000)
    StorageService storage;
    @InjectService(timeout = 10000)
    RecordingCatalog catalog;
    @InjectService(timeout = 10000)
    JobRunner jobs;
    @InjectBundleContext
    BundleContext context;

    /** An invocation whose client goes away once {@code goneWhen} holds (checked while the command waits). */
    static final class LeavingClient implements CommandInvocation {
        private final List<String> args;
        final StringWriter err = new StringWriter();
        private final List<Runnable> actions = new CopyOnWriteArrayList<>();
        volatile boolean gone;

        LeavingClient(String... args) {
            this.args = List.of(args);
        }

        @Override
        public List<String> args() {
            return args;
        }

        @Override
        public boolean json() {
            return false;
        }

        @Override
        public PrintWriter out() {
            return new PrintWriter(new StringWriter(), true);
        }

        @Override
        public PrintWriter err() {
            return new PrintWriter(err, true);
        }

        @Override
        public boolean inRunningInstance() {
            return true;
        }

        @Override
        public Registration onClientGone(Runnable action) {
            if (gone) {
                action.run();
                return () -> { };
            }
            actions.add(action);
            return () -> actions.remove(action);
        }

        @Override
        public boolean clientGone() {
            return gone;
        }

        /** What the control socket server does when the connection ends. */
        void leave() {
            gone = true;
            actions.forEach(Runnable::run);
        }

        int registered() {
            return actions.size();
        }
    }

    private VigilCommand command(String name) throws Exception {
        Collection<ServiceReference<VigilCommand>> refs = context.getServiceReferences(VigilCommand.class, null);
        for (ServiceReference<VigilCommand> r : refs) {
            VigilCommand c = context.getService(r);
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no command " + name);
    }

    private int catalogued(String camera) {
        return catalog.segments(SegmentQuery.of(camera, Instant.EPOCH, Instant.now().plusSeconds(60)).withLimit(10_000))
                .items().size();
    }

    @Test
    void anImportWhoseClientLeavesIsCancelledPartWay() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(20), () -> storage.status().canRecord()));
        String camera = TestDirs.camera("gone");
        Path dir = TestDirs.fresh("gone");
        Path day = Files.createDirectories(dir.resolve("old/" + camera + "/20250305"));
        for (int i = 0; i < 400; i++) {
            Files.createLink(day.resolve(String.format("%02d%02d00.mp4", i / 60, i % 60)), Media.get(Media.PLAIN));
        }
        VigilCommand storageCommand = command("storage");
        LeavingClient client = new LeavingClient("import", dir.resolve("old").toString());
        Thread leaver = new Thread(() -> {
            // the client leaves once the import has catalogued some files (Ctrl-C part-way)
            try {
                Await.until(Duration.ofSeconds(60), () -> client.registered() > 0 && catalogued(camera) >= 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            client.leave();
        }, "leaving-client");
        leaver.start();
        CommandException e = assertThrows(CommandException.class, () -> storageCommand.execute(client));
        leaver.join(60_000);
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertTrue(jobs.active().isEmpty(), "no job left running: " + jobs.active());
        int imported = catalogued(camera);
        assertTrue(imported >= 10 && imported < 400, imported + " imported");
        try (Stream<Path> s = Files.walk(storage.status().root())) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".partial")).count(),
                    "no temporary file left");
        }
        TestDirs.deleteTree(dir);
    }
}
