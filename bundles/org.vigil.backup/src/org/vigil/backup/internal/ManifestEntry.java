package org.vigil.backup.internal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One file of a backup as {@code manifest.json} and the journal record it.
 *
 * @param path           below the backup's root, {@code /}-separated: {@code <camera>/<YYYYMMDD>/<file>}
 * @param hash           lower-case hexadecimal checksum of the file (the source's, computed while copying)
 * @param sourceModified the source file's modification time in ms when it was copied (to notice a changed source)
 * @param copied         when the copy was committed
 * @param copiedBy       who made it: {@code user@host}
 * @param verified       when the copy was last read back and found equal
 */
record ManifestEntry(String path, String camera, Instant start, Instant end, long bytes, String hash,
        long sourceModified, Instant copied, String copiedBy, Optional<Instant> verified) {

    ManifestEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(copied, "copied");
        Objects.requireNonNull(copiedBy, "copiedBy");
        Objects.requireNonNull(verified, "verified");
    }

    ManifestEntry withVerified(Instant when) {
        return new ManifestEntry(path, camera, start, end, bytes, hash, sourceModified, copied, copiedBy,
                Optional.of(when));
    }
}
