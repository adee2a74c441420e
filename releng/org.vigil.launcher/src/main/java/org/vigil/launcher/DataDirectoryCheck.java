package org.vigil.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * Looks at a data directory before a framework is started on it, so that the user gets one clear sentence instead
 * of a failed component: is it usable, and is its lock held ({@code vigil status}, {@code vigil shell}). The lock
 * itself is taken by {@link DataDirectoryLock} before a framework starts.
 */
final class DataDirectoryCheck {
    private DataDirectoryCheck() {
    }

    /** Creates the directory owner-only when missing and checks that it can be written. */
    static void prepare(Path dir) throws UsageException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (AccessDeniedException e) {
            throw new UsageException(1, "The data directory " + dir
                    + " cannot be created (permission denied); choose another one with --data DIR.");
        } catch (IOException e) {
            throw new UsageException(1, "The data directory " + dir + " cannot be created (" + e.getMessage()
                    + "); choose another one with --data DIR.");
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException(1, "The data directory " + dir
                    + " cannot be written (permission denied); fix its permissions or choose another one with --data DIR.");
        }
    }

    /**
     * The PID of the process holding the directory's lock, or empty when nobody holds it. It probes by taking the
     * lock for a moment, so never call it in a process that holds the lock, and only where not wanting the lock.
     */
    static OptionalLong lockHolder(Path dir) {
        Path lockFile = dir.resolve("lock");
        if (!Files.exists(lockFile)) {
            return OptionalLong.empty();
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                lock.release();
                return OptionalLong.empty();
            }
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = ch.read(buf, 0);
            String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
            try {
                return OptionalLong.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return OptionalLong.of(-1);
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}
