package org.vigil.monitor.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Size and free space of the volume holding a recordings root. The root need not exist yet (no camera recorded):
 * then its nearest existing parent's volume counts. The volume is looked up again every minute, so a disk mounted
 * later is seen. Not thread-safe: one sampler uses it.
 */
final class DiskProbe {
    record Space(long totalBytes, long freeBytes) {
    }

    private static final long RESOLVE_EVERY_NANOS = 60_000_000_000L;

    private Path root;
    private FileStore store;
    private long resolvedAt;

    DiskProbe(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    void root(Path newRoot) {
        if (!newRoot.equals(root)) {
            root = newRoot;
            store = null;
        }
    }

    Optional<Space> read() {
        long now = System.nanoTime();
        try {
            if (store == null || now - resolvedAt > RESOLVE_EVERY_NANOS) {
                store = Files.getFileStore(existing(root));
                resolvedAt = now;
            }
            return Optional.of(new Space(store.getTotalSpace(), store.getUsableSpace()));
        } catch (IOException | SecurityException e) {
            store = null;
            return Optional.empty();
        }
    }

    private static Path existing(Path p) throws IOException {
        Path q = p.toAbsolutePath();
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        if (q == null) {
            throw new IOException("no existing parent of " + p);
        }
        return q;
    }
}
