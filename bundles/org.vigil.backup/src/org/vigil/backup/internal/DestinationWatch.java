package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Notices within half a second that the destination folder is gone or is no longer the same folder (a drive
 * unplugged, or unmounted so that the empty mount point shows through), so that a copy stops at once instead of
 * writing on into a detached file system.
 */
final class DestinationWatch {
    private static final long INTERVAL_NANOS = 500_000_000L;

    private final Path root;
    private final Object key;
    private long lastCheck = System.nanoTime();

    DestinationWatch(Path root) throws IOException {
        this.root = root;
        this.key = identity(root);
    }

    Path root() {
        return root;
    }

    /** Looks (at most every half second) whether the destination is still there. */
    void check() throws DestinationGoneException {
        long now = System.nanoTime();
        if (now - lastCheck < INTERVAL_NANOS) {
            return;
        }
        lastCheck = now;
        checkNow();
    }

    void checkNow() throws DestinationGoneException {
        Object current;
        try {
            current = identity(root);
        } catch (IOException e) {
            current = null;
        }
        if (current == null || !Objects.equals(current, key)) {
            throw new DestinationGoneException("The destination " + root + " has gone (the drive was unplugged or"
                    + " unmounted, or the folder was removed); the copy in progress was abandoned and the recordings"
                    + " are untouched. Reconnect the drive and run the same backup again: it continues where it"
                    + " stopped.");
        }
    }

    private static Object identity(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (!a.isDirectory()) {
            return null;
        }
        Object k = a.fileKey();
        return k == null ? Files.getFileStore(p).name() : k;
    }
}
