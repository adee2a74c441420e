package org.vigil.backup.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few Linux file calls Java does not offer, through JNA: {@code posix_fadvise(DONTNEED)} to drop a file's pages
 * from the page cache (so that verification reads the disk, not memory) and {@code sync_file_range} to write a copy
 * out while it is being made (so that the final fsync, and a cancel, never wait for gigabytes of dirty pages).
 * <p>
 * Both calls act on the file, not on the descriptor, so they are made on a second descriptor opened here beside the
 * Java channel. Everything degrades to "not available" (no exception) when JNA or the C library cannot be loaded, on
 * a 32-bit system (where {@code off_t} is not 64 bits) or on a system other than Linux.
 */
final class NativeIo {
    private static final Logger LOG = System.getLogger(NativeIo.class.getName());
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int POSIX_FADV_DONTNEED = 4;
    static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    static final int SYNC_FILE_RANGE_WRITE = 2;
    static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

    /** The C library calls used (64-bit Linux signatures). */
    public interface LibC extends Library {
        int open(String path, int flags);

        int close(int fd);

        int posix_fadvise(int fd, long offset, long len, int advice);

        int sync_file_range(int fd, long offset, long nbytes, int flags);
    }

    private static final LibC LIBC = load();

    private NativeIo() {
    }

    private static LibC load() {
        try {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")
                    || Native.LONG_SIZE != 8) {
                return null;
            }
            return Native.load("c", LibC.class);
        } catch (Throwable e) { // NoClassDefFoundError without JNA, UnsatisfiedLinkError without the library
            LOG.log(Level.INFO, "Native file calls are not available ({0}); copies are synced only at their end and "
                    + "verification cannot drop pages from the page cache.", e.toString());
            return null;
        }
    }

    static boolean available() {
        return LIBC != null;
    }

    /** A descriptor of {@code file} for the calls below, or -1 when not available. Close it with {@link #close}. */
    static int openForAdvice(Path file) {
        if (LIBC == null) {
            return -1;
        }
        try {
            return LIBC.open(file.toString(), O_RDONLY | O_CLOEXEC);
        } catch (Throwable e) {
            return -1;
        }
    }

    static void close(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }

    /** Drops the clean cached pages of the range (0 length = to the end); true when the call succeeded. */
    static boolean dropFromCache(int fd, long offset, long length) {
        return fd >= 0 && LIBC.posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED) == 0;
    }

    /** Drops the clean cached pages of a whole file; true when the call succeeded. */
    static boolean dropFromCache(Path file) {
        int fd = openForAdvice(file);
        if (fd < 0) {
            return false;
        }
        try {
            return dropFromCache(fd, 0, 0);
        } finally {
            close(fd);
        }
    }

    /** {@code sync_file_range}; true when it succeeded. */
    static boolean syncRange(int fd, long offset, long length, int flags) {
        return fd >= 0 && LIBC.sync_file_range(fd, offset, length, flags) == 0;
    }
}
