package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A real file system mounted for a test (the tests run as root); unmounted by {@link #close()}, in finally. */
final class Mount implements AutoCloseable {
    private final Path dir;
    private boolean mounted;

    private Mount(Path dir) {
        this.dir = dir;
        this.mounted = true;
    }

    Path dir() {
        return dir;
    }

    /** {@code mount -t tmpfs -o size=...} */
    static Mount tmpfs(Path dir, String options) throws IOException, InterruptedException {
        TestSupport.mustRun("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        return new Mount(dir);
    }

    /** A fresh ext4 file system in a sparse image file, mounted through a loop device. */
    static Mount ext4(Path image, long bytes, Path dir) throws IOException, InterruptedException {
        TestSupport.mustRun("truncate", "-s", String.valueOf(bytes), image.toString());
        TestSupport.mustRun("mkfs.ext4", "-q", "-F", image.toString());
        return loop(image, dir);
    }

    /** Mounts an existing image again. */
    static Mount loop(Path image, Path dir) throws IOException, InterruptedException {
        TestSupport.mustRun("mount", "-o", "loop", image.toString(), dir.toString());
        return new Mount(dir);
    }

    /** Detaches the file system at once, even with files open on it: what pulling a drive looks like to Vigil. */
    void detach() throws IOException, InterruptedException {
        if (mounted) {
            TestSupport.mustRun("umount", "-l", dir.toString());
            mounted = false;
        }
    }

    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        try {
            TestSupport.Run r = TestSupport.run(null, Duration.ofSeconds(30), "umount", dir.toString());
            if (r.exit() != 0) {
                TestSupport.run(null, Duration.ofSeconds(30), "umount", "-l", dir.toString());
            }
        } catch (IOException | InterruptedException e) {
            // reported by the next mount over it
        }
        mounted = false;
    }
}
