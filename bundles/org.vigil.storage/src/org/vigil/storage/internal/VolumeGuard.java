package org.vigil.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageState;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * The identity of the recordings volume: a small file {@value SegmentPaths#VOLUME_FILE} in the root holding an id that
 * the catalog remembers. When the disk is not mounted the mount point is an empty folder on the system disk, without
 * the file; a swapped disk has another id. Either way recording refuses to write there.
 */
final class VolumeGuard {
    /** The outcome of a check. */
    record Verdict(StorageState state, Optional<String> reason, Optional<String> volumeId) {
        boolean ok() {
            return state == StorageState.READY;
        }
    }

    private volatile String knownDevice;
    private volatile String knownId;

    /**
     * Reads the identity file and compares it with {@code expected}. With no expected id (a new catalog) the volume is
     * claimed: its id is adopted, or an identity file is written.
     */
    Verdict verify(StoragePlugin plugin, Path root, Optional<String> expected) throws IOException {
        knownDevice = null;
        Optional<String> onDisk = read(plugin, root);
        if (expected.isEmpty()) {
            String id = onDisk.orElse(null);
            if (id == null) {
                plugin.prepare(root, SegmentPaths.VOLUME_FILE);
                id = UUID.randomUUID().toString();
                write(plugin, root, id);
            }
            remember(plugin, root, id);
            return new Verdict(StorageState.READY, Optional.empty(), Optional.of(id));
        }
        if (onDisk.isEmpty()) {
            String where = rootExists(plugin, root) ? "the folder " + root + " has no volume identity (" + SegmentPaths.VOLUME_FILE
                    + "): it is probably the empty mount point of a disk that is not mounted"
                    : "the folder " + root + " does not exist";
            return new Verdict(StorageState.VOLUME_MISSING, Optional.of("The recordings disk is missing: " + where
                    + ". Mount the disk and recording resumes by itself, or run 'vigil storage adopt --yes' to make"
                    + " this folder the recordings volume."), expected);
        }
        if (!onDisk.get().equals(expected.get())) {
            return new Verdict(StorageState.WRONG_VOLUME, Optional.of("The disk at " + root + " belongs to another"
                    + " recordings catalog (volume " + onDisk.get() + ", expected " + expected.get() + "). Mount the"
                    + " right disk, or run 'vigil storage adopt --yes' to use this one."), expected);
        }
        remember(plugin, root, onDisk.get());
        return new Verdict(StorageState.READY, Optional.empty(), onDisk);
    }

    /**
     * A cheap re-check for every reservation and monitor tick: the same device is mounted and the identity file is
     * still there. Anything else needs a full {@link #verify}.
     */
    boolean stillValid(StoragePlugin plugin, Path root) {
        String device = knownDevice;
        if (device == null) {
            return false;
        }
        try {
            return device.equals(plugin.deviceOf(root)) && plugin.stat(root, SegmentPaths.VOLUME_FILE).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    void forget() {
        knownDevice = null;
        knownId = null;
    }

    Optional<String> knownId() {
        return Optional.ofNullable(knownId);
    }

    /** Writes a new identity for {@code root} (adopting a disk deliberately). */
    String claim(StoragePlugin plugin, Path root) throws IOException {
        Optional<String> onDisk = read(plugin, root);
        String id = onDisk.orElse(UUID.randomUUID().toString());
        if (onDisk.isEmpty()) {
            plugin.prepare(root, SegmentPaths.VOLUME_FILE);
            write(plugin, root, id);
        }
        remember(plugin, root, id);
        return id;
    }

    private void remember(StoragePlugin plugin, Path root, String id) throws IOException {
        knownDevice = plugin.deviceOf(root);
        knownId = id;
    }

    static Optional<String> read(StoragePlugin plugin, Path root) throws IOException {
        if (!rootExists(plugin, root) || plugin.stat(root, SegmentPaths.VOLUME_FILE).isEmpty()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (FileChannel ch = plugin.openRead(root, SegmentPaths.VOLUME_FILE);
                InputStream in = Channels.newInputStream(ch)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String id = p.getProperty("id", "").trim();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    static boolean rootExists(StoragePlugin plugin, Path root) throws IOException {
        try {
            plugin.deviceOf(root);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static void write(StoragePlugin plugin, Path root, String id) throws IOException {
        String text = "# Vigil recordings volume. Vigil recognises this disk by this file: do not delete it.\n"
                + "id=" + id + "\ncreated=" + Instant.now() + "\n";
        plugin.writeAtomically(root, SegmentPaths.VOLUME_FILE, text.getBytes(StandardCharsets.UTF_8));
    }
}
