package org.vigil.backup.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CancellationException;

import org.vigil.api.backup.HashAlgorithm;

/**
 * Copies one file with its checksum computed in the same pass (the source is read once), and reads files back for
 * their checksum. A copy goes to {@code <name>.part}, is synced, renamed to its final name and its folder synced: a
 * file under its final name is always complete. A cancel, an error or a vanished destination removes the
 * {@code .part} file (when the destination is still reachable) and leaves the source untouched.
 * <p>
 * One instance per job (it owns its buffers); not thread-safe.
 */
final class FileCopier {
    static final String PART_SUFFIX = ".part";
    static final int CHUNK = 1 << 20;
    /** Copies are written out in windows of this size while they are made (sync_file_range), then dropped from cache. */
    static final long WRITEBACK_WINDOW = 8L << 20;
    private static final Logger LOG = System.getLogger(FileCopier.class.getName());
    private static final int ALIGN = 4096;

    /** A checksum and the bytes it covers. */
    record Hashed(String hash, long bytes, CacheBypass bypass) {
    }

    private final ByteBuffer buffer;
    private final CacheBypass bypass;

    FileCopier(CacheBypass bypass) {
        this.bypass = bypass;
        // one buffer for copies and reads, aligned for O_DIRECT
        this.buffer = ByteBuffer.allocateDirect(CHUNK + 2 * 65536).alignedSlice(65536);
        buffer.limit(CHUNK);
    }

    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + PART_SUFFIX);
    }

    /**
     * Copies {@code source} to {@code target} (whose folder exists) through {@code target.part}, replacing a file
     * already there only once the new copy is complete and synced.
     *
     * @throws CancellationException when cancelled; the part file is gone
     */
    Hashed copy(Path source, Path destination, HashAlgorithm algorithm, CopyControl control) throws IOException {
        Path target = destination.toAbsolutePath();
        Path part = partOf(target);
        boolean committed = false;
        try {
            long expected = Files.size(source);
            String hash;
            long copied = 0;
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    Checksum sum = Checksum.create(algorithm)) {
                int fd = NativeIo.openForAdvice(part);
                try {
                    long requested = 0; // written out up to here is requested
                    long settled = 0; // written out and dropped from the cache up to here
                    while (true) {
                        if (control.cancelled()) {
                            throw new CancellationException("cancelled");
                        }
                        ByteBuffer buf = chunk();
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        buf.flip();
                        sum.update(buf);
                        while (buf.hasRemaining()) {
                            out.write(buf);
                        }
                        copied += n;
                        control.progress(n);
                        if (fd >= 0 && copied - requested >= WRITEBACK_WINDOW) {
                            // start writing this window, wait for the one before (rarely long: it had a window's
                            // time), and drop it from the cache: memory stays free and the fsync at the end is short
                            NativeIo.syncRange(fd, requested, copied - requested, NativeIo.SYNC_FILE_RANGE_WRITE);
                            if (requested > settled) {
                                NativeIo.syncRange(fd, settled, requested - settled,
                                        NativeIo.SYNC_FILE_RANGE_WAIT_BEFORE | NativeIo.SYNC_FILE_RANGE_WRITE
                                                | NativeIo.SYNC_FILE_RANGE_WAIT_AFTER);
                                NativeIo.dropFromCache(fd, settled, requested - settled);
                                settled = requested;
                            }
                            requested = copied;
                        }
                        control.checkDestination();
                    }
                    if (copied != expected) {
                        throw new IOException("The recording " + source + " changed size while it was copied ("
                                + expected + " bytes before, " + copied + " after); it was not backed up.");
                    }
                    out.force(true);
                    // the pages are clean now: dropping them makes the verification read the disk
                    NativeIo.dropFromCache(fd, 0, 0);
                } finally {
                    NativeIo.close(fd);
                }
                hash = sum.finish();
            }
            control.checkDestination();
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            Folders.sync(target.getParent());
            return new Hashed(hash, copied, CacheBypass.NONE);
        } finally {
            if (!committed) {
                rollBack(part);
            }
        }
    }

    /** Removes a part file; when the destination is gone there is nothing to remove and nothing to say. */
    static void rollBack(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "The unfinished copy {0} could not be removed: {1}", part, e.toString());
        }
    }

    /**
     * Reads a file for its checksum. With {@code bypassCache} the read avoids the page cache as configured (O_DIRECT,
     * else dropping the file's pages first); the result says which way it went.
     *
     * @throws CancellationException when cancelled
     */
    Hashed hash(Path file, HashAlgorithm algorithm, boolean bypassCache, CopyControl control) throws IOException {
        CacheBypass mode = bypassCache ? bypass : CacheBypass.NONE;
        if (mode == CacheBypass.FADVISE && !NativeIo.dropFromCache(file)) {
            mode = CacheBypass.DIRECT; // no native calls here: O_DIRECT instead
        }
        if (mode == CacheBypass.DIRECT) {
            FileChannel direct = openDirect(file);
            if (direct != null) {
                try (direct) {
                    return read(direct, file, algorithm, control, true);
                }
            }
            mode = NativeIo.dropFromCache(file) ? CacheBypass.FADVISE : CacheBypass.NONE;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Hashed h = read(ch, file, algorithm, control, false);
            return new Hashed(h.hash(), h.bytes(), mode);
        } finally {
            if (mode == CacheBypass.FADVISE) {
                NativeIo.dropFromCache(file); // a check leaves no backup in memory
            }
        }
    }

    private Hashed read(FileChannel ch, Path file, HashAlgorithm algorithm, CopyControl control, boolean direct)
            throws IOException {
        long size = ch.size();
        long done = 0;
        FileChannel buffered = null;
        try (Checksum sum = Checksum.create(algorithm)) {
            while (true) {
                if (control.cancelled()) {
                    throw new CancellationException("cancelled");
                }
                ByteBuffer buf = chunk();
                int n = (buffered != null ? buffered : ch).read(buf);
                if (n < 0) {
                    break;
                }
                buf.flip();
                sum.update(buf);
                done += n;
                control.progress(n);
                control.checkDestination();
                if (direct && buffered == null && n % ALIGN != 0) {
                    if (done >= size) {
                        break; // the last, partial block: another direct read would be refused as unaligned
                    }
                    // a short direct read before the end: carry on with ordinary reads from here
                    buffered = FileChannel.open(file, StandardOpenOption.READ).position(done);
                }
            }
            return new Hashed(sum.finish(), done, direct ? CacheBypass.DIRECT : CacheBypass.NONE);
        } finally {
            if (buffered != null) {
                buffered.close();
            }
        }
    }

    private ByteBuffer chunk() {
        buffer.clear();
        buffer.limit(CHUNK);
        return buffer;
    }

    /** An O_DIRECT channel, or null where the JDK or the file system does not offer it (tmpfs, some shares). */
    private static FileChannel openDirect(Path file) {
        try {
            OpenOption direct = DirectOption.get();
            if (direct == null) {
                return null;
            }
            return FileChannel.open(file, StandardOpenOption.READ, direct);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
