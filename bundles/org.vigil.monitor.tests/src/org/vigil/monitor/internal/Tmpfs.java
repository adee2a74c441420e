package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs mounted on a folder, so that a test fills a real file system. Needs root; the test is
 * skipped otherwise. Closing unmounts it.
 */
final class Tmpfs implements AutoCloseable {
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    static Tmpfs mount(Path dir, int megabytes) throws IOException, InterruptedException {
        assumeTrue(ProcFiles.read(Path.of("/proc/self/status")).map(t -> ProcFiles.field(t, "Uid") == 0).orElse(false),
                "mounting a tmpfs needs root");
        Files.createDirectories(dir);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", dir.toString()));
        return new Tmpfs(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code bytes} of real data (not a sparse file), so that the space is taken. */
    Path fill(String name, long bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 0x5a);
        try (OutputStream out = Files.newOutputStream(f)) {
            long left = bytes;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return f;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (run(List.of("umount", dir.toString())) != 0) {
            run(List.of("umount", "-l", dir.toString()));
        }
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0 && command.get(0).equals("mount")) {
            throw new IOException(String.join(" ", command) + " failed: " + out.trim());
        }
        return p.exitValue();
    }
}
