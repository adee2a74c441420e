package org.vigil.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The exclusive lock on a data directory: an OS file lock on {@code <dir>/lock}, which holds the owner's PID so that a
 * second instance can say who holds it. The OS releases the lock when the process dies, so a crash never leaves a
 * stale lock behind.
 */
public final class DataDirectoryLock implements AutoCloseable {
    static final String LOCK_FILE = "lock";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory owner-only when it is missing and takes its lock.
     *
     * @throws DataDirectoryException with one sentence for a user when the directory cannot be used or is locked
     */
    public static DataDirectoryLock acquire(Path directory) throws DataDirectoryException {
        Path dir = prepare(directory);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new DataDirectoryException("The data directory " + dir + " cannot be written (" + reason(e)
                    + "); fix its permissions or choose another one with --data DIR.");
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (another component instance or a test)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("The data directory " + dir + " cannot be locked (" + reason(e)
                    + "); choose another one with --data DIR.");
        }
        if (lock == null) {
            String owner = readOwner(channel);
            closeQuietly(channel);
            throw new DataDirectoryException("The data directory " + dir + " is in use by another Vigil (PID "
                    + owner + "); stop that one first or choose another directory with --data DIR.");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new DataDirectoryException("The data directory " + dir + " cannot be written (" + reason(e)
                    + "); check free space and permissions or choose another one with --data DIR.");
        }
        return new DataDirectoryLock(dir, channel, lock);
    }

    /**
     * Creates the directory owner-only when it is missing and checks that it is a writable directory, without
     * touching its lock (for a process whose launcher holds it). Returns the absolute, normalized directory.
     */
    public static Path prepare(Path directory) throws DataDirectoryException {
        Path dir = directory.toAbsolutePath().normalize();
        createOwnerOnly(dir);
        return dir;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the channel close below releases it as well
        }
        closeQuietly(channel);
    }

    private static void createOwnerOnly(Path dir) throws DataDirectoryException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // created meanwhile by someone else: fine, checked below
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new DataDirectoryException("The data directory " + dir
                        + " is not a directory; choose another one with --data DIR.");
            }
            if (!Files.isWritable(dir)) {
                throw new DataDirectoryException("The data directory " + dir
                        + " cannot be written (permission denied); fix its permissions or choose another one with --data DIR.");
            }
        } catch (IOException e) {
            throw new DataDirectoryException("The data directory " + dir + " cannot be created (" + reason(e)
                    + "); choose another one with --data DIR.");
        }
    }

    private static String readOwner(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = channel.read(buf, 0);
            String pid = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
