package org.vigil.config.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * A {@link ChildFramework} in its own JVM (the same java binary as this test), with the bundles of this test
 * framework that Vigil's configuration needs. Its output lines are queued for {@link #expect}; its standard error
 * (the log) is kept.
 */
final class ChildVm implements AutoCloseable {
    /** Bundles of the test framework the child does not get: the test harness and this test fragment. */
    private static final Set<String> HARNESS = Set.of("org.vigil.config.tests", "biz.aQute.tester.junit-platform",
            "biz.aQute.tester", "junit-jupiter-api", "junit-jupiter-engine", "junit-jupiter-params",
            "junit-platform-commons", "junit-platform-engine", "junit-platform-launcher", "org.opentest4j",
            "org.apiguardian.api", "org.osgi.test.common", "org.osgi.test.junit5", "org.osgi.test.junit5.cm",
            "org.opentest4j.reporting", "org.opentest4j.reporting.tooling.spi");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer log = new StringBuffer();

    private ChildVm(Process process) {
        this.process = process;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        drain(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        drain(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    /** Starts a child framework on {@code dataDir} and waits until its Configuration Admin runs. */
    static ChildVm start(BundleContext context, Path dataDir, Path work) throws Exception {
        String javaBinary = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(javaBinary, "-Xmx128m", "-Djava.io.tmpdir=" + work, "-cp",
                jar(context.getBundle(0).getClass()) + java.io.File.pathSeparator + jar(ChildFramework.class, context),
                ChildFramework.class.getName(), dataDir.toString(), work.resolve("felix-cache").toString()));
        Files.createDirectories(work.resolve("bundles"));
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != 0 && !HARNESS.contains(b.getSymbolicName())
                    && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                command.add(stage(b, work.resolve("bundles")).toString());
            }
        }
        ChildVm vm = new ChildVm(new ProcessBuilder(command).start());
        vm.expect("ready", Duration.ofSeconds(60));
        return vm;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    String log() {
        return log.toString();
    }

    void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** Sends a command and waits for its {@code ok}; fails on {@code error}. */
    void run(String command, Duration timeout) throws Exception {
        send(command);
        String word = command.split(" ")[0];
        expect("ok " + word, timeout);
    }

    /** The next line starting with {@code prefix}, skipping others; fails on an error line or timeout. */
    String expect(String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("The child framework did not say '" + prefix + "' in time; its log:\n"
                        + log);
            }
            if (line.startsWith("error ")) {
                throw new AssertionError("The child framework failed: " + line + "\n" + log);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** The next line, or null after {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Every line received and not yet taken. */
    List<String> remaining() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }

    /** SIGKILL: no shutdown hook, no deactivation, nothing closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            try {
                send("exit");
            } catch (IOException gone) {
                // it already ended
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private void drain(BufferedReader reader, boolean output) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (output) {
                        lines.add(line);
                    } else {
                        log.append(line).append('\n');
                    }
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "child-vm-" + (output ? "out" : "err"));
        t.setDaemon(true);
        t.start();
    }

    private static Path jar(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** This test fragment's jar (its classes' code source is the bundle, so ask the framework). */
    private static Path jar(Class<?> c, BundleContext context) throws Exception {
        for (Bundle b : context.getBundles()) {
            if ("org.vigil.config.tests".equals(b.getSymbolicName())) {
                return location(b);
            }
        }
        return jar(c);
    }

    /**
     * A private copy of a bundle's jar for the child: the jars under target/ of a shared working tree can be rebuilt
     * while the tests run, so wait (bounded) for one that is being replaced.
     */
    private static Path stage(Bundle b, Path dir) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try {
                Path jar = location(b);
                Path copy = dir.resolve(b.getSymbolicName() + ".jar");
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (java.util.jar.JarFile check = new java.util.jar.JarFile(copy.toFile())) {
                    check.getManifest();
                }
                return copy;
            } catch (IllegalStateException | IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** The file a bundle was installed from. */
    static Path location(Bundle b) {
        String l = b.getLocation();
        if (l.startsWith("reference:")) {
            l = l.substring("reference:".length());
        }
        Path p = l.startsWith("file:") ? Path.of(URI.create(l)) : Path.of(l);
        if (!Files.exists(p)) {
            throw new IllegalStateException("The bundle " + b.getSymbolicName() + " was installed from " + b
                    .getLocation() + ", which is not a file this test can give to a child JVM.");
        }
        return p;
    }
}
