package org.vigil.storage.internal.disk;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StoredFile;

/**
 * The local-disk storage plugin ({@code scheme=file}): plain files under a folder, made durable with fsync of the file
 * and of its folder, and path rules enforced on every call (no absolute paths, no {@code ..}, no way out of the
 * root through a symbolic link for anything that writes or deletes).
 */
@Component(service = StoragePlugin.class, property = StoragePlugin.PROPERTY + "=file")
public final class LocalDiskPlugin implements StoragePlugin {
    private static final int COPY_BUFFER = 1 << 20;
    /** Folders of the recordings tree: owner and group only (0750); recordings are not every local user's to watch. */
    static final FileAttribute<Set<PosixFilePermission>> FOLDER_MODE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-x---"));
    /** Files of the recordings tree: owner and group only (0640). */
    static final FileAttribute<Set<PosixFilePermission>> FILE_MODE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-r-----"));

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public Path resolve(Path root, String relativePath) throws IOException {
        SegmentPaths.check(relativePath);
        Path base = root.toAbsolutePath().normalize();
        Path p = base.resolve(relativePath).normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new IOException("The path '" + relativePath + "' leads outside the recordings root " + base + ".");
        }
        return p;
    }

    /** {@link #resolve} plus: no symbolic link on the way leads outside the root. For writes and deletions. */
    private Path resolveForChange(Path root, String relativePath) throws IOException {
        return resolveForChange(root, relativePath, false);
    }

    private Path resolveForChange(Path root, String relativePath, boolean createRoot) throws IOException {
        Path p = resolve(root, relativePath);
        Path base = root.toAbsolutePath().normalize();
        if (createRoot && !Files.isDirectory(base)) {
            createRoot(base);
        }
        Path realBase = base.toRealPath();
        Path existing = p.getParent();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null && existing.startsWith(base) && !existing.toRealPath().startsWith(realBase)) {
            throw new IOException("The path '" + relativePath + "' leads outside the recordings root " + base
                    + " through a symbolic link.");
        }
        if (Files.isSymbolicLink(p)) {
            throw new IOException("The path '" + relativePath + "' is a symbolic link; recordings are plain files.");
        }
        return p;
    }

    @Override
    public SpaceInfo space(Path root) throws IOException {
        File dir = root.toFile();
        if (!dir.isDirectory()) {
            throw new NoSuchFileException(root.toString(), null, "the recordings folder does not exist");
        }
        long total = dir.getTotalSpace();
        long usable = dir.getUsableSpace();
        if (total == 0) {
            throw new IOException("The size of the disk holding " + root + " cannot be read.");
        }
        return new SpaceInfo(total, usable);
    }

    @Override
    public String deviceOf(Path root) throws IOException {
        Object dev = Files.getAttribute(root, "unix:dev");
        return String.valueOf(dev);
    }

    @Override
    public Path prepare(Path root, String relativePath) throws IOException {
        Path p = resolveForChange(root, relativePath, true);
        createFolders(root.toAbsolutePath().normalize(), p.getParent());
        return p;
    }

    /** Creates a missing root and its missing parents, syncing the parent of each folder created. */
    private static void createRoot(Path base) throws IOException {
        Path top = base;
        while (top.getParent() != null && !Files.isDirectory(top.getParent())) {
            top = top.getParent();
        }
        createFolders(top.getParent() == null ? top : top.getParent(), base);
    }

    /** Creates missing folders between the root and {@code folder}, syncing the parent of each one created. */
    private static void createFolders(Path base, Path folder) throws IOException {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        List<Path> missing = new ArrayList<>();
        for (Path f = folder; f != null && f.startsWith(base) && !Files.isDirectory(f); f = f.getParent()) {
            missing.add(0, f);
        }
        for (Path f : missing) {
            try {
                Files.createDirectory(f, FOLDER_MODE);
            } catch (FileAlreadyExistsException raced) {
                if (!Files.isDirectory(f)) {
                    throw raced;
                }
            }
            forceFolder(f.getParent());
        }
    }

    @Override
    public List<String> list(Path root, String relativeFolder) throws IOException {
        Path dir = relativeFolder.isEmpty() ? root : resolve(root, relativeFolder);
        // File.list is readdir returning plain names: no Path object per entry (discovery of 100,000 files)
        String[] names = dir.toFile().list();
        if (names != null) {
            return Arrays.asList(names);
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            List<String> result = new ArrayList<>();
            for (Path e : entries) {
                result.add(e.getFileName().toString());
            }
            return result; // not reached unless File.list failed for a passing reason: this says why if it fails again
        }
    }

    @Override
    public Optional<StoredFile> stat(Path root, String relativePath) throws IOException {
        Path p = resolve(root, relativePath);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new StoredFile(a.isDirectory(), a.size(), a.lastModifiedTime().toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public FileChannel openRead(Path root, String relativePath) throws IOException {
        return FileChannel.open(resolve(root, relativePath), StandardOpenOption.READ);
    }

    @Override
    public void writeAtomically(Path root, String relativePath, byte[] content) throws IOException {
        Path p = resolveForChange(root, relativePath, true);
        createFolders(root.toAbsolutePath().normalize(), p.getParent());
        Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), FILE_MODE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceFolder(p.getParent());
    }

    @Override
    public void importFile(Path source, Path root, String relativePath, boolean move, BooleanSupplier cancelled)
            throws IOException {
        Path target = resolveForChange(root, relativePath);
        createFolders(root.toAbsolutePath().normalize(), target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a recording with this name exists");
        }
        if (move) {
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                forceFolder(target.getParent());
                forceFolder(source.toAbsolutePath().getParent());
                return;
            } catch (AtomicMoveNotSupportedException otherDisk) {
                // another file system: copy, then delete the source
            }
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + SegmentPaths.PARTIAL_SUFFIX);
        boolean done = false;
        try (InputStream in = Files.newInputStream(source);
                FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), FILE_MODE);
                OutputStream os = java.nio.channels.Channels.newOutputStream(out)) {
            byte[] buf = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled");
                }
                os.write(buf, 0, n);
            }
            os.flush();
            out.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        forceFolder(target.getParent());
        if (move) {
            Files.delete(source);
            forceFolder(source.toAbsolutePath().getParent());
        }
    }

    @Override
    public void sync(Path root, String relativePath) throws IOException {
        Path p = resolve(root, relativePath);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
        forceFolder(p.getParent());
    }

    @Override
    public void syncFolder(Path root, String relativeFolder) throws IOException {
        forceFolder(relativeFolder.isEmpty() ? root : resolve(root, relativeFolder));
    }

    @Override
    public boolean delete(Path root, String relativePath) throws IOException {
        Path p = resolveForChange(root, relativePath);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("The path '" + relativePath + "' is a folder, not a recording.");
        }
        return Files.deleteIfExists(p);
    }

    @Override
    public boolean deleteFolderIfEmpty(Path root, String relativeFolder) throws IOException {
        Path dir = resolveForChange(root, relativeFolder);
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException | NoSuchFileException e) {
            return false;
        }
        forceFolder(dir.getParent());
        return true;
    }

    @Override
    public void move(Path root, String from, String to) throws IOException {
        Path source = resolveForChange(root, from);
        Path target = resolveForChange(root, to);
        createFolders(root.toAbsolutePath().normalize(), target.getParent());
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        forceFolder(target.getParent());
        forceFolder(source.getParent());
    }

    private static void forceFolder(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
