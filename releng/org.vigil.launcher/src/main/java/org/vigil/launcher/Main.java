package org.vigil.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.ServiceReference;

/**
 * {@code bin/vigil}: opens the workbench, runs the recorder as a service, serves the demo camera, or runs one
 * command against the running instance (through its control socket) or in a one-shot framework.
 */
public final class Main {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final String CONTROL_FILTER = "(control.socket=*)";

    private final Path home;
    private final PrintStream out;
    private final PrintStream err;

    private Main(Path home, PrintStream out, PrintStream err) {
        this.home = home;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        String homeProperty = System.getProperty("vigil.home");
        Path home = homeProperty != null ? Paths.get(homeProperty) : Paths.get(".").toAbsolutePath();
        int code;
        try {
            code = new Main(home.toAbsolutePath().normalize(), System.out, System.err).run(args);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            code = e.exitCode;
        } catch (InterruptedException e) {
            code = 130;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    int run(String[] args) throws UsageException, InterruptedException {
        Options o = Options.parse(args, System.getenv("VIGIL_DATA"));
        String command = o.command();
        switch (command) {
            case "" -> {
                if (o.help) {
                    return help(o);
                }
                return workbench(o);
            }
            case "help" -> {
                return help(o);
            }
            case "version" -> {
                out.println("Vigil " + version() + " (Java " + System.getProperty("java.version") + ", Felix framework "
                        + felixVersion() + ")");
                return 0;
            }
            case "run" -> {
                return runCommand(o);
            }
            case "democam" -> {
                return democam(o);
            }
            case "shell" -> {
                return shell(o);
            }
            case "status" -> {
                if (o.help) {
                    return forward(o);
                }
                return status(o);
            }
            default -> {
                return forward(o);
            }
        }
    }

    // --- vigil [run] -------------------------------------------------------------------------------------------

    private int runCommand(Options o) throws UsageException, InterruptedException {
        boolean headless = false;
        boolean demo = false;
        for (String a : o.commandArgs()) {
            switch (a) {
                case "--headless" -> headless = true;
                case "--demo" -> demo = true;
                default -> throw new UsageException("Unknown option " + a + " for 'vigil run'; it takes --headless, "
                        + "--demo and --data DIR.");
            }
        }
        if (o.help) {
            out.print(RUN_HELP);
            return 0;
        }
        return headless ? serve(o, "recorder", demo) : workbench(o, demo);
    }

    private int workbench(Options o) throws UsageException, InterruptedException {
        return workbench(o, false);
    }

    private int workbench(Options o, boolean demo) throws UsageException, InterruptedException {
        if (!hasBundle("org.vigil.ui")) {
            throw new UsageException(2, "The workbench is not part of this build yet; run 'vigil run --headless' to "
                    + "start the recorder without it.");
        }
        String display = System.getenv("DISPLAY");
        String wayland = System.getenv("WAYLAND_DISPLAY");
        if ((display == null || display.isBlank()) && (wayland == null || wayland.isBlank())) {
            throw new UsageException(1, "No display is available (DISPLAY is not set); run 'vigil run --headless' to "
                    + "record without the workbench.");
        }
        return serve(o, "workbench", demo);
    }

    /** Runs the recorder (or the workbench) until SIGTERM/Ctrl-C or until the framework is stopped from the shell. */
    private int serve(Options o, String mode, boolean demo) throws UsageException, InterruptedException {
        Path data = o.dataDir;
        refuseWhenLocked(data);
        DataDirectoryCheck.prepare(data);
        LogSetup.configure(Level.INFO, data.resolve(LogSetup.CURRENT));
        Logger log = Logger.getLogger(Main.class.getName());
        long t0 = System.nanoTime();
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTermination(stopRequested::countDown);
        EmbeddedFramework fw = EmbeddedFramework.start(home, data, mode,
                demo ? Map.of("vigil.democam", "on") : Map.of());
        try {
            ServiceReference<?> control = fw.awaitService(CONTROL_FILTER, READY_TIMEOUT);
            if (control == null || !fw.awaitStarted(READY_TIMEOUT)) {
                if (requestedExitCode() != 0) {
                    return requestedExitCode(); // a component stopped Vigil and already said why
                }
                throw new UsageException(1, "Vigil did not become ready within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + data.resolve(LogSetup.CURRENT) + " for the reason.");
            }
            List<String> problems = fw.serviceProperties("(startup.problem=*)", "startup.problem");
            if (!problems.isEmpty()) {
                throw new UsageException(1, String.join(System.lineSeparator(), problems));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<String> inactive = fw.bundlesNotActive();
            if (!inactive.isEmpty()) {
                log.warning("These bundles did not start: " + String.join(", ", inactive) + "; see the log above.");
            }
            log.info("Vigil " + version() + " is ready in " + ms + " ms (PID " + ProcessHandle.current().pid()
                    + ", data " + data + "); stop it with Ctrl-C or SIGTERM.");
            while (stopRequested.getCount() > 0 && fw.isRunning()) {
                if (fw.waitForStop(Duration.ofMillis(200))) {
                    break;
                }
            }
        } finally {
            stopFramework(fw, log);
        }
        return requestedExitCode();
    }

    /**
     * The exit code a component asked for when it stopped the framework itself (the workbench without a display
     * sets the system property {@code vigil.exitCode}); 0 otherwise.
     */
    static int requestedExitCode() {
        return Integer.getInteger("vigil.exitCode", 0);
    }

    private void stopFramework(EmbeddedFramework fw, Logger log) {
        long t0 = System.nanoTime();
        boolean stopped = fw.stop(STOP_TIMEOUT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!stopped) {
            log.warning("The framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s; exiting anyway.");
            return;
        }
        List<String> left = leftoverThreads();
        if (left.isEmpty()) {
            log.info("Vigil stopped cleanly in " + ms + " ms.");
        } else {
            log.warning("Vigil stopped in " + ms + " ms but these threads are still running: " + String.join(", ", left));
        }
    }

    /** Non-daemon threads other than this one: each is something a component started and did not stop. */
    static List<String> leftoverThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            // FelixShutdown: Felix's own thread when the framework was stopped from inside (closing the window)
            if (t.isAlive() && !t.isDaemon() && t != Thread.currentThread() && !t.getName().equals("DestroyJavaVM")
                    && !t.getName().equals("FelixShutdown")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    // --- vigil democam -----------------------------------------------------------------------------------------

    private int democam(Options o) throws UsageException, InterruptedException {
        if (o.help) {
            out.print("Usage: vigil democam\n\nServes the demo camera on 127.0.0.1 until Ctrl-C and prints its RTSP URLs.\n"
                    + "It uses a temporary data directory and does not touch your recordings.\n");
            return 0;
        }
        if (!o.commandArgs().isEmpty()) {
            throw new UsageException("'vigil democam' takes no arguments; see 'vigil democam --help'.");
        }
        Path temp;
        try {
            temp = Files.createTempDirectory("vigil-democam-");
        } catch (IOException e) {
            throw new UsageException(1, "Cannot create a temporary directory for the demo camera (" + e.getMessage() + ").");
        }
        LogSetup.configure(Level.WARNING, null);
        Logger log = Logger.getLogger(Main.class.getName());
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTermination(stopRequested::countDown);
        EmbeddedFramework fw = EmbeddedFramework.start(home, temp, "democam", Map.of("vigil.democam", "on"));
        try {
            ServiceReference<?> cam = fw.awaitService("(objectClass=org.vigil.api.democam.DemoCamera)", READY_TIMEOUT);
            if (cam == null) {
                throw new UsageException(1, "The demo camera did not start; is GStreamer's RTSP server installed "
                        + "(Debian package libgstrtspserver-1.0-0)? Run releng/scripts/system-packages.sh.");
            }
            out.println("Demo camera on 127.0.0.1 (Ctrl-C stops it):");
            List<String> keys = new ArrayList<>(List.of(cam.getPropertyKeys()));
            keys.sort(null);
            for (String key : keys) {
                if (key.startsWith("url.")) {
                    out.printf("  %-10s %s%n", key.substring(4), cam.getProperty(key));
                }
            }
            out.flush();
            while (stopRequested.getCount() > 0 && fw.isRunning()) {
                if (fw.waitForStop(Duration.ofMillis(200))) {
                    break;
                }
            }
        } finally {
            stopFramework(fw, log);
            deleteTree(temp);
        }
        return 0;
    }

    // --- commands -----------------------------------------------------------------------------------------------

    private int status(Options o) throws UsageException, InterruptedException {
        Optional<ControlClient> client = connectWhenRunning(o.dataDir);
        if (client.isEmpty()) {
            if (o.json) {
                out.println("{\"running\":false,\"data\":\"" + o.dataDir.toString().replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"}");
            } else {
                out.println("No Vigil instance runs on the data directory " + o.dataDir + ".");
            }
            return 3;
        }
        try (ControlClient c = client.get()) {
            return c.command(o.words, o.json, out, err);
        } catch (IOException e) {
            throw lostConnection(e);
        }
    }

    private int shell(Options o) throws UsageException, InterruptedException {
        if (o.help) {
            out.print("Usage: vigil shell\n\nOpens the Gogo shell of the running Vigil instance (type 'help' there; "
                    + "'exit' or Ctrl-D leaves it).\n");
            return 0;
        }
        Optional<ControlClient> client = connectWhenRunning(o.dataDir);
        if (client.isEmpty()) {
            throw new UsageException(3, "No Vigil instance runs on the data directory " + o.dataDir
                    + "; start one with 'vigil run --headless'.");
        }
        try (ControlClient c = client.get()) {
            return c.shell(System.in, out, err);
        } catch (IOException e) {
            throw lostConnection(e);
        }
    }

    private int help(Options o) throws UsageException, InterruptedException {
        out.print(GENERAL_HELP);
        out.println();
        out.println("Commands of this installation's bundles:");
        List<String> words = new ArrayList<>();
        words.add("help");
        return runCommandSomewhere(o, words, true);
    }

    /** Any other command: through the running instance, else in a one-shot framework on the data directory. */
    private int forward(Options o) throws UsageException, InterruptedException {
        List<String> words = new ArrayList<>(o.words);
        if (o.help) {
            words.add("--help");
        }
        return runCommandSomewhere(o, words, false);
    }

    private int runCommandSomewhere(Options o, List<String> words, boolean quietStart)
            throws UsageException, InterruptedException {
        Optional<ControlClient> client = connectWhenRunning(o.dataDir);
        if (client.isPresent()) {
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
            try (ControlClient c = client.get()) {
                // Ctrl-C: the instance sees the client leave and cancels what the command started
                Signals.onTermination(() -> {
                    interrupted.set(true);
                    c.close();
                });
                return c.command(words, o.json, out, err);
            } catch (IOException e) {
                if (interrupted.get()) {
                    err.println("Interrupted; the command was stopped.");
                    return 130;
                }
                throw lostConnection(e);
            }
        }
        DataDirectoryCheck.prepare(o.dataDir);
        LogSetup.configure(Level.WARNING, o.dataDir.resolve(LogSetup.CURRENT));
        Logger log = Logger.getLogger(Main.class.getName());
        EmbeddedFramework fw = EmbeddedFramework.start(home, o.dataDir, "command", Map.of());
        try {
            ServiceReference<?> control = fw.awaitService(CONTROL_FILTER, READY_TIMEOUT);
            if (control == null) {
                throw new UsageException(1, "Vigil's command line did not start; see "
                        + o.dataDir.resolve(LogSetup.CURRENT) + " for the reason.");
            }
            Optional<ControlClient> local = ControlClient.connect(o.dataDir);
            if (local.isEmpty()) {
                throw new UsageException(1, "Vigil's control socket " + o.dataDir.resolve("control.sock")
                        + " does not answer; see " + o.dataDir.resolve(LogSetup.CURRENT) + ".");
            }
            // Ctrl-C or SIGTERM: drop the connection (the command cancels its job), then stop the framework below,
            // which lets a job roll back the file in hand
            java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
            try (ControlClient c = local.get()) {
                Signals.onTermination(() -> {
                    interrupted.set(true);
                    c.close();
                });
                return c.command(words, o.json, out, err);
            } catch (IOException e) {
                if (interrupted.get()) {
                    err.println("Interrupted; the command was stopped.");
                    return 130;
                }
                throw lostConnection(e);
            }
        } finally {
            boolean stopped = fw.stop(STOP_TIMEOUT);
            if (!stopped) {
                log.warning("The framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s.");
            }
        }
    }

    /**
     * Connects to the instance on {@code data}. When the directory is locked but the socket does not answer yet
     * (the instance is starting), waits a little; a locked directory with no answer is an error, not a reason to
     * start a second framework on it.
     */
    private Optional<ControlClient> connectWhenRunning(Path data) throws UsageException, InterruptedException {
        Optional<ControlClient> c = ControlClient.connect(data);
        if (c.isPresent()) {
            return c;
        }
        OptionalLong holder = DataDirectoryCheck.lockHolder(data);
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            c = ControlClient.connect(data);
            if (c.isPresent()) {
                return c;
            }
            if (DataDirectoryCheck.lockHolder(data).isEmpty()) {
                return Optional.empty();
            }
        }
        throw new UsageException(1, "The Vigil instance (PID " + pid(holder) + ") on the data directory " + data
                + " does not answer on its control socket; check its log in " + data.resolve("logs") + ".");
    }

    private void refuseWhenLocked(Path data) throws UsageException {
        OptionalLong holder = DataDirectoryCheck.lockHolder(data);
        if (holder.isPresent()) {
            throw new UsageException(1, "The data directory " + data + " is in use by another Vigil (PID "
                    + pid(holder) + "); stop that one first or choose another directory with --data DIR.");
        }
    }

    private static String pid(OptionalLong holder) {
        return holder.getAsLong() < 0 ? "unknown" : Long.toString(holder.getAsLong());
    }

    private static UsageException lostConnection(IOException e) {
        return new UsageException(1, "The connection to the Vigil instance broke (" + e.getMessage()
                + "); check that it is still running with 'vigil status'.");
    }

    private boolean hasBundle(String symbolicNamePrefix) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.resolve("bundle"), symbolicNamePrefix + "_*.jar")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String felixVersion() {
        Package p = org.apache.felix.framework.Felix.class.getPackage();
        return p == null || p.getImplementationVersion() == null ? "7" : p.getImplementationVersion();
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary directory
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    static final String RUN_HELP = """
            Usage: vigil run [--headless] [--demo] [--data DIR]

            Runs Vigil until Ctrl-C or SIGTERM: with the workbench, or with --headless as a recorder service.
              --headless   no window: record, serve the control socket, answer 'vigil <command>'
              --demo       also serve the demo camera on 127.0.0.1
              --data DIR   the data directory (default $VIGIL_DATA, else ~/.local/share/vigil)
            """;

    static final String GENERAL_HELP = """
            Vigil, a network video recorder.

            Usage: vigil [--data DIR] [--json] [COMMAND [ARGS...]]

              vigil                     open the workbench
              vigil run --headless      run the recorder as a service (Ctrl-C or SIGTERM stops it)
              vigil status [--json]     whether an instance runs on the data directory, and its state
              vigil shell               the Gogo shell of the running instance
              vigil democam             serve the demo camera on 127.0.0.1 and print its URLs
              vigil version             the version
              vigil COMMAND --help      help for one command

            Global options, accepted anywhere:
              --data DIR   the data directory (default $VIGIL_DATA, else ~/.local/share/vigil)
              --json       machine-readable output
            """;
}
