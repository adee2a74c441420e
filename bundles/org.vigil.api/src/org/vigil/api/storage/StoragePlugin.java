package org.vigil.api.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A storage plugin: how Vigil reaches the files under a recordings root. Plugins are whiteboard services with the
 * service property {@value #PROPERTY} ({@code scheme=file} for local disks); the storage service uses the one with the
 * highest ranking and pauses recording while none is installed.
 *
 * <p>Every {@code relativePath} is {@code /}-separated and below {@code root}; a plugin refuses any path that is
 * absolute, contains {@code ..} or empty parts, or leads outside the root through a link, with an
 * {@link IOException} naming the path. Camera ids in paths follow {@link org.vigil.api.camera.CameraId}.
 */
@ConsumerType
public interface StoragePlugin {
    /** Service property naming the scheme, such as {@code scheme=file}. */
    String PROPERTY = "scheme";

    String scheme();

    /** The absolute path of {@code relativePath}, after checking the path rules. */
    Path resolve(Path root, String relativePath) throws IOException;

    /** Total and usable space of the volume holding {@code root}. */
    SpaceInfo space(Path root) throws IOException;

    /** An id of the device {@code root} is on, which changes when another disk is mounted there. */
    String deviceOf(Path root) throws IOException;

    /** Creates the folders of {@code relativePath} durably (new folders synced) and returns where to write it. */
    Path prepare(Path root, String relativePath) throws IOException;

    /** Names in a folder (without reading each entry); empty when it does not exist. */
    List<String> list(Path root, String relativeFolder) throws IOException;

    /** Size, time and kind of an entry, empty when it does not exist. */
    Optional<StoredFile> stat(Path root, String relativePath) throws IOException;

    /** Opens a file for reading headers. */
    FileChannel openRead(Path root, String relativePath) throws IOException;

    /** Writes a small file atomically: temporary name, sync, rename, folder sync. */
    void writeAtomically(Path root, String relativePath, byte[] content) throws IOException;

    /**
     * Brings an outside file in: copied (or moved) under a temporary name, synced, renamed, folder synced. When
     * {@code cancelled} turns true during a copy the temporary file is removed and a
     * {@link java.util.concurrent.CancellationException} is thrown.
     */
    void importFile(Path source, Path root, String relativePath, boolean move, BooleanSupplier cancelled)
            throws IOException;

    /** Syncs a file and the folder that holds it. */
    void sync(Path root, String relativePath) throws IOException;

    /** Syncs a folder, making earlier creations and deletions in it durable. */
    void syncFolder(Path root, String relativeFolder) throws IOException;

    /** Deletes a file (not synced: call {@link #syncFolder}); false when it was already gone. */
    boolean delete(Path root, String relativePath) throws IOException;

    /** Deletes a folder if it is empty; true when it did. */
    boolean deleteFolderIfEmpty(Path root, String relativeFolder) throws IOException;

    /** Moves a file inside the root, creating folders, replacing nothing. */
    void move(Path root, String from, String to) throws IOException;
}
