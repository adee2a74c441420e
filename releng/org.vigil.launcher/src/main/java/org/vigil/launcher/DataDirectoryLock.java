package org.vigil.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The data directory's lock, taken by the launcher before it starts any framework and held for the life of the
 * process: an OS file lock on {@code <data>/lock}, whose text is {@code "PID MODE"} (mode {@code recorder},
 * {@code workbench} or {@code command}) so that others can say who holds it and whether to wait. The OS releases it
 * when the process dies.
 * <p>
 * Java's file locks on Linux are POSIX locks: closing any channel on the file in the holding process releases the
 * process's lock. So the holder never opens the lock file again, and the framework is told (framework property
 * {@value #HELD_PROPERTY} = this PID) that the lock is held, so that org.vigil.core does not lock again.
 */
final class DataDirectoryLock {
    /** Framework property: the PID of the launcher that holds the data directory's lock. */
    static final String HELD_PROPERTY = "vigil.data.lockedBy";

    /** Who holds a lock, from the lock file's text. */
    record Holder(long pid, String mode) {
        /** A long-running instance (recorder or workbench), as opposed to a one-shot command. */
        boolean isInstance() {
            return !mode.equals("command");
        }

        boolean alive() {
            return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        String pidText() {
            return pid > 0 ? Long.toString(pid) : "unknown";
        }

        /** "a recorder (PID 12)", "a one-shot command (PID 12)" */
        String describe() {
            String what = switch (mode) {
                case "command" -> "a one-shot vigil command";
                case "workbench" -> "a Vigil workbench";
                default -> "a Vigil recorder";
            };
            return what + " (PID " + pidText() + ")";
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (which exists) for this process when nobody holds it, writing {@code "PID MODE"}
     * into it; empty when another process holds it. Never call it again in a process that holds the lock.
     */
    static Optional<DataDirectoryLock> tryAcquire(Path dir, String mode) throws UsageException {
        Path file = dir.resolve("lock");
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UsageException(1, "The data directory " + dir + " cannot be locked (" + reason(e)
                    + "); fix its permissions or choose another one with --data DIR.");
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UsageException(1, "The data directory " + dir + " cannot be locked (" + reason(e)
                    + "); choose another one with --data DIR.");
        }
        if (lock == null) {
            closeQuietly(ch); // this process holds no lock on the file, so closing releases nothing
            return Optional.empty();
        }
        try {
            byte[] text = (ProcessHandle.current().pid() + " " + mode + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
            ch.force(true);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UsageException(1, "The data directory " + dir + " cannot be written (" + reason(e)
                    + "); check free space and permissions or choose another one with --data DIR.");
        }
        return Optional.of(new DataDirectoryLock(ch, lock));
    }

    /**
     * What the lock file says about its holder (read without locking). Only meaningful after {@link #tryAcquire}
     * failed: the holder writes its text right after taking the lock, so for a moment the text can still be the
     * previous holder's.
     */
    static Holder holder(Path dir) {
        String text;
        try {
            text = Files.readString(dir.resolve("lock"), StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            text = "";
        }
        String[] parts = text.split("\\s+");
        long pid = -1;
        try {
            pid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            // unknown
        }
        // no mode: written by org.vigil.core itself (an older launcher or a test framework), a long-running instance
        String mode = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "recorder";
        return new Holder(pid, mode);
    }

    /** Whether this process still holds the lock. */
    boolean isValid() {
        return lock.isValid();
    }

    /** Releases the lock (the process's end does the same). */
    void release() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing below releases it as well
        }
        closeQuietly(channel);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing held
        }
    }
}
