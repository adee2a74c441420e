package org.vigil.api.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.camera.CameraId;

/**
 * What to back up and where. With no camera, no time range and not {@code protectedOnly}, everything catalogued is
 * backed up. A segment is selected when it overlaps {@code [from, to)}: a segment reaching over an edge is copied whole.
 *
 * @param destination   the folder the backup goes to (it must exist): {@code <destination>/<camera>/<YYYYMMDD>/...}
 * @param cameras       the cameras; empty means every camera
 * @param from          start of the time range; empty means from the first recording
 * @param to            end of the time range (exclusive); empty means up to now
 * @param protectedOnly only segments protected with {@code vigil recordings protect} (saved clips, evidence)
 * @param hash          the checksum written to the manifests
 * @param verify        read every new copy back (bypassing the page cache where the system allows) and compare
 */
public record BackupRequest(Path destination, Set<String> cameras, Optional<Instant> from, Optional<Instant> to,
        boolean protectedOnly, HashAlgorithm hash, boolean verify) {

    public BackupRequest {
        Objects.requireNonNull(destination, "destination");
        cameras = Set.copyOf(Objects.requireNonNull(cameras, "cameras"));
        cameras.forEach(CameraId::require);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(hash, "hash");
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("The start of the time range (" + from.get()
                    + ") must be before its end (" + to.get() + ").");
        }
    }

    /** Everything, SHA-256, verified. */
    public static BackupRequest everything(Path destination) {
        return new BackupRequest(destination, Set.of(), Optional.empty(), Optional.empty(), false,
                HashAlgorithm.SHA256, true);
    }

    public BackupRequest withCameras(Set<String> newCameras) {
        return new BackupRequest(destination, newCameras, from, to, protectedOnly, hash, verify);
    }

    public BackupRequest withRange(Optional<Instant> newFrom, Optional<Instant> newTo) {
        return new BackupRequest(destination, cameras, newFrom, newTo, protectedOnly, hash, verify);
    }

    public BackupRequest withProtectedOnly(boolean only) {
        return new BackupRequest(destination, cameras, from, to, only, hash, verify);
    }

    public BackupRequest withHash(HashAlgorithm newHash) {
        return new BackupRequest(destination, cameras, from, to, protectedOnly, newHash, verify);
    }

    public BackupRequest withVerify(boolean newVerify) {
        return new BackupRequest(destination, cameras, from, to, protectedOnly, hash, newVerify);
    }

    public BackupRequest withDestination(Path newDestination) {
        return new BackupRequest(newDestination, cameras, from, to, protectedOnly, hash, verify);
    }
}
