package org.vigil.storage.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * A second JVM running the storage code (extracted from the installed bundles) that the test kills with SIGKILL at a
 * chosen moment: a real crash, not a simulated one.
 */
final class ChildJvm {
    private static Path classes;

    private ChildJvm() {
    }

    private static synchronized String classpath() throws IOException {
        if (classes == null) {
            Path dir = TestDirs.fresh("child-classes");
            BundleContext ctx = FrameworkUtil.getBundle(ChildJvm.class).getBundleContext();
            for (Bundle b : ctx.getBundles()) {
                String name = b.getSymbolicName();
                if (name.equals("org.vigil.storage") || name.equals("org.vigil.api")
                        || name.equals("org.xerial.sqlite-jdbc")) {
                    extract(b, dir);
                }
            }
            classes = dir;
        }
        Path framework = Path.of(java.net.URI.create(Bundle.class.getProtectionDomain().getCodeSource().getLocation()
                .toString()));
        return classes + java.io.File.pathSeparator + framework;
    }

    private static void extract(Bundle b, Path dir) throws IOException {
        Enumeration<URL> entries = b.findEntries("/", "*", true);
        while (entries != null && entries.hasMoreElements()) {
            URL u = entries.nextElement();
            String path = u.getPath();
            if (path.endsWith("/") || path.contains("/native/") && !path.contains("/native/Linux/")
                    || path.startsWith("/META-INF/")) {
                continue;
            }
            Path target = dir.resolve(path.substring(1));
            Files.createDirectories(target.getParent());
            try (InputStream in = u.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Starts {@code CrashDrill} with the arguments and waits until it prints {@code marker}. */
    static Process startAndAwait(String marker, Duration timeout, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classpath(), CrashDrill.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            if (line.contains(marker)) {
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the drill did not reach " + marker + ":\n" + seen);
    }

    /** SIGKILL: no shutdown hook, no finally block, no rollback runs in the child. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the drill did not die");
        }
    }
}
