package org.vigil.backup.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/** Durable folder operations: a created folder, a rename or a deletion only counts once its folder is synced. */
final class Folders {
    private Folders() {
    }

    /** Creates the folders between {@code root} (which exists) and {@code dir}, syncing the parent of each new one. */
    static void create(Path root, Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path f = dir; f != null && f.startsWith(root) && !f.equals(root) && !Files.isDirectory(f);
                f = f.getParent()) {
            missing.push(f);
        }
        while (!missing.isEmpty()) {
            Path f = missing.pop();
            try {
                Files.createDirectory(f);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(f)) {
                    throw raced;
                }
            }
            sync(f.getParent());
        }
    }

    /**
     * Makes creations, renames and deletions in {@code dir} durable. A file system that cannot sync a folder (some
     * network shares) is accepted; a folder that is gone is not.
     */
    static void sync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }
}
