package org.vigil.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Looks at a data directory before a framework is started on it, so that the user gets one clear sentence instead
 * of a failed component: is it usable, and is its lock held ({@code vigil status}, {@code vigil shell}). The lock
 * itself is taken by {@link DataDirectoryLock} before a framework starts. A directory that is not this user's alone
 * is refused before anything is read from it or sent to it.
 */
final class DataDirectoryCheck {
    /** File type bits of {@code unix:mode} (as in stat(2)). */
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;

    private DataDirectoryCheck() {
    }

    /**
     * Creates the directory owner-only when missing, refuses one that is not this user's alone
     * ({@link #checkIfExists}) and checks that it can be written.
     */
    static void prepare(Path dir) throws UsageException {
        if (!checkIfExists(dir)) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (AccessDeniedException e) {
                throw new UsageException(1, "The data directory " + dir
                        + " cannot be created (permission denied); choose another one with --data DIR.");
            } catch (IOException e) {
                throw new UsageException(1, "The data directory " + dir + " cannot be created (" + e.getMessage()
                        + "); choose another one with --data DIR.");
            }
            checkIfExists(dir); // whatever was there first (another user's directory made meanwhile) is refused
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException(1, "The data directory " + dir
                    + " cannot be written (permission denied); fix its permissions or choose another one with --data DIR.");
        }
    }

    /**
     * Refuses a data directory that another local user could change under Vigil (issue 22, item 11): one owned by
     * another user (also for root: the owner may have left anything in it, a socket of its own among them) or
     * writable by its group or by others (anyone could replace {@code control.sock} and read what the next command
     * sends, camera passwords included). Nobody's directory is tightened on the fly, root's neither: what another
     * user put there while it was open stays there, so the owner is asked to run {@code chmod 700} (and look), or
     * to choose another directory. Returns false when the directory does not exist.
     */
    static boolean checkIfExists(Path dir) throws UsageException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(dir, "unix:uid,mode");
        } catch (NoSuchFileException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw new UsageException(1, "The data directory " + dir + " cannot be read by you (permission denied); run"
                    + " vigil as the user who owns it, or choose another one with --data DIR.");
        } catch (IOException | UnsupportedOperationException e) {
            throw new UsageException(1, "The data directory " + dir + " cannot be read (" + e.getMessage()
                    + "); choose another one with --data DIR.");
        }
        int uid = (Integer) attributes.get("uid");
        int mode = (Integer) attributes.get("mode");
        if ((mode & S_IFMT) != S_IFDIR) {
            throw new UsageException(1, "The data directory " + dir + " is not a directory; choose another one with"
                    + " --data DIR.");
        }
        if (uid != LocalUser.uid()) {
            String owner = ownerName(dir, uid);
            throw new UsageException(1, "The data directory " + dir + " belongs to user " + owner + "; run vigil as "
                    + owner + " (or with sudo -u " + owner + "), or choose another directory with --data DIR.");
        }
        if ((mode & 0022) != 0) {
            String who = (mode & 0020) != 0 && (mode & 0002) != 0 ? "its group and every other user"
                    : (mode & 0020) != 0 ? "its group" : "every other user";
            throw new UsageException(1, "The data directory " + dir + " can be written by " + who + " (mode "
                    + String.format("%04o", mode & 07777) + "), so Vigil does not use it; run 'chmod 700 " + dir
                    + "' (and check that nothing in it is someone else's), or choose another directory with --data DIR.");
        }
        return true;
    }

    /** The name of the user owning {@code file}, or its uid when the user database does not know it. */
    static String ownerName(Path file, int uid) {
        try {
            return Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException | RuntimeException e) {
            return Integer.toString(uid);
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
