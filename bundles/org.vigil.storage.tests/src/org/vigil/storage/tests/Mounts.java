package org.vigil.storage.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Real mounts for disk-full and unplugged-disk tests (the tests run as root); every mount is undone in close(). */
final class Mounts implements AutoCloseable {
    private final List<Path> mounted = new ArrayList<>();

    static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small file system needs root");
    }

    void tmpfs(Path at, String size) throws IOException, InterruptedException {
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
        mounted.add(at);
    }

    void bind(Path from, Path at) throws IOException, InterruptedException {
        run("mount", "--bind", from.toString(), at.toString());
        mounted.add(at);
    }

    void unmount(Path at) throws IOException, InterruptedException {
        run("umount", at.toString());
        mounted.remove(at);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        for (int i = mounted.size() - 1; i >= 0; i--) {
            try {
                run("umount", "-l", mounted.get(i).toString());
            } catch (IOException | InterruptedException e) {
                System.err.println("Could not unmount " + mounted.get(i) + ": " + e.getMessage());
            }
        }
        mounted.clear();
    }
}
