package org.vigil.storage.internal;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * Segments being written: paths handed to recorders and not yet announced closed or abandoned. Checks and retention
 * leave them (and their folders) alone. A reservation a recorder never released (it crashed) expires after
 * {@link #EXPIRY_MS}.
 */
final class Reservations {
    static final long EXPIRY_MS = 3 * 60 * 60 * 1000L;

    private final Map<String, Long> paths = new ConcurrentHashMap<>();

    boolean reserve(String relativePath) {
        expire();
        return paths.putIfAbsent(relativePath, System.currentTimeMillis()) == null;
    }

    void release(String relativePath) {
        paths.remove(relativePath);
    }

    boolean contains(String relativePath) {
        Long at = paths.get(relativePath);
        return at != null && System.currentTimeMillis() - at < EXPIRY_MS;
    }

    /** Folders that hold a segment being written. */
    Set<String> folders() {
        Set<String> result = new HashSet<>();
        for (String p : paths.keySet()) {
            result.add(SegmentPaths.folderOf(p));
        }
        return result;
    }

    int size() {
        return paths.size();
    }

    private void expire() {
        long now = System.currentTimeMillis();
        paths.values().removeIf(at -> now - at >= EXPIRY_MS);
    }
}
