package org.vigil.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    /** How long a recorder waits for a one-shot command that holds the data directory, and a command for another. */
    static final Duration WAIT_FOR_COMMAND = Duration.ofSeconds(120);
    private static final String CONTROL_FILTER = "(control.socket=*)";
    static final String CONTROL_SOCKET = "control.sock";
    /** The private control socket of a one-shot framework. */
    static final String COMMAND_SOCKET = "command.sock";

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
        // the launcher's own streams: System.out/err are sent to the log file once a framework runs
        PrintStream out = System.out;
        PrintStream err = System.err;
        int code;
        try {
            code = new Main(home.toAbsolutePath().normalize(), out, err).run(args);
        } catch (UsageException e) {
            err.println(e.getMessage());
            code = e.exitCode;
        } catch (InterruptedException e) {
            code = 130;
        } catch (RuntimeException | Error e) {
            // never a stack trace on the terminal: one sentence there, the trace in the log file
            LogSetup.toFile("Vigil failed unexpectedly", e);
            err.println("Vigil failed unexpectedly (" + e + "); " + LogSetup.whereTheDetailsAre());
            code = 1;
        }
        out.flush();
        err.flush();
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
        DataDirectoryCheck.prepare(data);
        LogSetup.configure(Level.INFO, null); // the console only until this process holds the data directory
        Logger log = Logger.getLogger(Main.class.getName());
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTermination(stopRequested::countDown);
        DataDirectoryLock lock = lockForInstance(data, mode, stopRequested, log);
        if (lock == null) {
            log.info("Stopped before Vigil started.");
            return 0;
        }
        LogSetup.configure(Level.INFO, data.resolve(LogSetup.CURRENT));
        LogSetup.captureStrayOutput();
        long t0 = System.nanoTime();
        Map<String, String> properties = new HashMap<>();
        if (demo) {
            properties.put("vigil.democam", "on");
        }
        properties.put(DataDirectoryLock.HELD_PROPERTY, Long.toString(ProcessHandle.current().pid()));
        EmbeddedFramework fw = EmbeddedFramework.start(home, data, mode, properties);
        try {
            ServiceReference<?> control = fw.awaitService(CONTROL_FILTER, READY_TIMEOUT);
            if (control == null || !fw.awaitStarted(READY_TIMEOUT)) {
                if (requestedExitCode() != 0) {
                    return requestedExitCode(); // a component stopped Vigil and already said why
                }
                if (!fw.isRunning()) {
                    throw new UsageException(1, "Vigil stopped while it was starting; see " + data.resolve(LogSetup.CURRENT)
                            + " for the reason.");
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
     * Takes the data directory's lock for a recorder or workbench. A one-shot command holding it is waited for
     * (bounded by {@link #WAIT_FOR_COMMAND}, with one log line naming it); another recorder or workbench is refused at
     * once, naming its PID. Returns null when a stop was requested while waiting.
     */
    private static DataDirectoryLock lockForInstance(Path data, String mode, CountDownLatch stopRequested, Logger log)
            throws UsageException, InterruptedException {
        long deadline = System.nanoTime() + WAIT_FOR_COMMAND.toNanos();
        DataDirectoryLock.Holder announced = null;
        int instanceSightings = 0;
        while (true) {
            Optional<DataDirectoryLock> lock = DataDirectoryLock.tryAcquire(data, mode);
            if (lock.isPresent()) {
                if (announced != null) {
                    log.info("The data directory is free now; starting.");
                }
                return lock.get();
            }
            DataDirectoryLock.Holder h = DataDirectoryLock.holder(data);
            if (h.alive() && h.isInstance()) {
                // seen three times in a row: not the stale text of a holder that has just left
                if (++instanceSightings >= 3) {
                    throw new UsageException(1, "The data directory " + data + " is in use by another Vigil (PID "
                            + h.pidText() + "); stop that one first or choose another directory with --data DIR.");
                }
            } else {
                instanceSightings = 0;
                if (h.alive() && !h.equals(announced)) {
                    log.info("The data directory " + data + " is in use by " + h.describe() + "; waiting up to "
                            + WAIT_FOR_COMMAND.toSeconds() + " s for it to finish.");
                    announced = h;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new UsageException(1, "The data directory " + data + " is still in use by "
                        + (h.alive() ? h.describe() : "another process") + " after " + WAIT_FOR_COMMAND.toSeconds()
                        + " s; stop it or choose another directory with --data DIR.");
            }
            if (stopRequested.await(100, TimeUnit.MILLISECONDS)) {
                return null;
            }
        }
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
            return runCommandSomewhere(o, words, false);
        }
        Optional<PasswordInput> password = PasswordInput.take(words, System.in, o.dataDir);
        try {
            return runCommandSomewhere(o, words, false);
        } finally {
            password.ifPresent(PasswordInput::close);
        }
    }

    /**
     * Runs a command in the recorder or workbench that runs on the data directory (waiting for it when it is
     * starting), else in a one-shot framework of this process, which takes the data directory's lock first (waiting
     * for another one-shot command that holds it).
     */
    private int runCommandSomewhere(Options o, List<String> words, boolean quietStart)
            throws UsageException, InterruptedException {
        Path data = o.dataDir;
        long commandDeadline = System.nanoTime() + WAIT_FOR_COMMAND.toNanos();
        long instanceDeadline = 0;
        boolean prepared = false;
        // nothing goes to a directory (or a socket in it) that another user could have changed
        DataDirectoryCheck.checkIfExists(data);
        while (true) {
            Optional<ControlClient> client = ControlClient.connect(data.resolve(CONTROL_SOCKET));
            if (client.isPresent()) {
                return runThrough(client.get(), words, o.json);
            }
            if (!prepared) {
                DataDirectoryCheck.prepare(data);
                prepared = true;
            }
            Optional<DataDirectoryLock> lock = DataDirectoryLock.tryAcquire(data, "command");
            if (lock.isPresent()) {
                return oneShot(o, words, lock.get());
            }
            DataDirectoryLock.Holder h = DataDirectoryLock.holder(data);
            if (h.alive() && h.isInstance()) {
                if (instanceDeadline == 0) {
                    instanceDeadline = System.nanoTime() + READY_TIMEOUT.toNanos();
                    err.println("Vigil (PID " + h.pidText() + ") is starting on " + data
                            + "; the command runs in it once it is ready.");
                    err.flush();
                } else if (System.nanoTime() > instanceDeadline) {
                    throw new UsageException(1, "The Vigil instance (PID " + h.pidText() + ") on the data directory "
                            + data + " does not answer on its control socket; check its log in " + data.resolve("logs")
                            + ".");
                }
            } else if (System.nanoTime() > commandDeadline) {
                throw new UsageException(1, "The data directory " + data + " is still in use by "
                        + (h.alive() ? h.describe() : "another process") + " after " + WAIT_FOR_COMMAND.toSeconds()
                        + " s; try again when it has finished.");
            }
            Thread.sleep(100);
        }
    }

    /** Runs the command through a connected instance; Ctrl-C closes the connection, which cancels the command. */
    private int runThrough(ControlClient client, List<String> words, boolean json) throws UsageException {
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        try (ControlClient c = client) {
            // Ctrl-C: the instance sees the client leave and cancels what the command started
            Signals.onTermination(() -> {
                interrupted.set(true);
                c.close();
            });
            return c.command(words, json, out, err);
        } catch (IOException e) {
            if (interrupted.get()) {
                err.println("Interrupted; the command was stopped.");
                return 130;
            }
            throw lostConnection(e);
        }
    }

    /**
     * A framework of this process for one command, on the data directory whose lock this process holds. It serves
     * a private control socket ({@value #COMMAND_SOCKET}), so that no other client joins a framework that is about
     * to stop.
     */
    private int oneShot(Options o, List<String> words, DataDirectoryLock lock)
            throws UsageException, InterruptedException {
        Path data = o.dataDir;
        LogSetup.configure(Level.WARNING, data.resolve(LogSetup.CURRENT));
        LogSetup.captureStrayOutput();
        Logger log = Logger.getLogger(Main.class.getName());
        Path socket = data.resolve(COMMAND_SOCKET);
        Map<String, String> properties = Map.of(DataDirectoryLock.HELD_PROPERTY,
                Long.toString(ProcessHandle.current().pid()), "vigil.control.socket", socket.toString());
        EmbeddedFramework fw = EmbeddedFramework.start(home, data, "command", properties);
        try {
            ServiceReference<?> control = fw.awaitService(CONTROL_FILTER, READY_TIMEOUT);
            if (control == null) {
                throw new UsageException(1, "Vigil's command line did not start" + (fw.isRunning() ? "" : " (the "
                        + "framework stopped)") + "; see " + data.resolve(LogSetup.CURRENT) + " for the reason.");
            }
            Optional<ControlClient> local = ControlClient.connect(socket);
            if (local.isEmpty()) {
                throw new UsageException(1, "Vigil's control socket " + socket + " does not answer; see "
                        + data.resolve(LogSetup.CURRENT) + ".");
            }
            // Ctrl-C or SIGTERM: drop the connection (the command cancels its job), then stop the framework below,
            // which lets a job roll back the file in hand
            return runThrough(local.get(), words, o.json);
        } finally {
            boolean stopped = fw.stop(STOP_TIMEOUT);
            if (!stopped) {
                log.warning("The framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s.");
            }
            lock.release();
        }
    }

    /**
     * Connects to the instance on {@code data} for {@code vigil status} and {@code vigil shell}. When a recorder or
     * workbench holds the directory but its socket does not answer yet (it is starting), waits for it; a one-shot
     * command holding it is no instance.
     */
    private Optional<ControlClient> connectWhenRunning(Path data) throws UsageException, InterruptedException {
        if (!DataDirectoryCheck.checkIfExists(data)) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<ControlClient> c = ControlClient.connect(data.resolve(CONTROL_SOCKET));
            if (c.isPresent()) {
                return c;
            }
            if (DataDirectoryCheck.lockHolder(data).isEmpty()) {
                return Optional.empty();
            }
            DataDirectoryLock.Holder h = DataDirectoryLock.holder(data);
            if (h.alive() && !h.isInstance()) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                throw new UsageException(1, "The Vigil instance (PID " + h.pidText() + ") on the data directory "
                        + data + " does not answer on its control socket; check its log in " + data.resolve("logs")
                        + ".");
            }
            Thread.sleep(100);
        }
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
