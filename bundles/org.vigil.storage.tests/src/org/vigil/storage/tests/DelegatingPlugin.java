package org.vigil.storage.tests;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StoredFile;
import org.vigil.storage.internal.disk.LocalDiskPlugin;

/** A storage plugin that counts what it is asked and passes it on to the local-disk plugin; hooks for drills. */
class DelegatingPlugin implements StoragePlugin {
    final StoragePlugin inner = new LocalDiskPlugin();
    final AtomicInteger syncs = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();

    /** Called before each delete with the number of deletes so far. */
    void beforeDelete(int count) throws IOException {
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public Path resolve(Path root, String relativePath) throws IOException {
        return inner.resolve(root, relativePath);
    }

    @Override
    public SpaceInfo space(Path root) throws IOException {
        return inner.space(root);
    }

    @Override
    public String deviceOf(Path root) throws IOException {
        return inner.deviceOf(root);
    }

    @Override
    public Path prepare(Path root, String relativePath) throws IOException {
        return inner.prepare(root, relativePath);
    }

    @Override
    public List<String> list(Path root, String relativeFolder) throws IOException {
        return inner.list(root, relativeFolder);
    }

    @Override
    public Optional<StoredFile> stat(Path root, String relativePath) throws IOException {
        return inner.stat(root, relativePath);
    }

    @Override
    public FileChannel openRead(Path root, String relativePath) throws IOException {
        return inner.openRead(root, relativePath);
    }

    @Override
    public void writeAtomically(Path root, String relativePath, byte[] content) throws IOException {
        inner.writeAtomically(root, relativePath, content);
    }

    @Override
    public void importFile(Path source, Path root, String relativePath, boolean move, BooleanSupplier cancelled)
            throws IOException {
        inner.importFile(source, root, relativePath, move, cancelled);
    }

    @Override
    public void sync(Path root, String relativePath) throws IOException {
        syncs.incrementAndGet();
        inner.sync(root, relativePath);
    }

    @Override
    public void syncFolder(Path root, String relativeFolder) throws IOException {
        inner.syncFolder(root, relativeFolder);
    }

    @Override
    public boolean delete(Path root, String relativePath) throws IOException {
        beforeDelete(deletes.get());
        deletes.incrementAndGet();
        return inner.delete(root, relativePath);
    }

    @Override
    public boolean deleteFolderIfEmpty(Path root, String relativeFolder) throws IOException {
        return inner.deleteFolderIfEmpty(root, relativeFolder);
    }

    @Override
    public void move(Path root, String from, String to) throws IOException {
        inner.move(root, from, to);
    }
}
