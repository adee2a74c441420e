package org.vigil.api.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a backup would do, and why it cannot start, checked before anything is written.
 *
 * @param files        segments selected
 * @param bytes        their size
 * @param filesPresent of those, files already at the destination with a matching checksum (skipped)
 * @param filesToCopy  files that will be copied
 * @param bytesToCopy  bytes that will be copied
 * @param freeBytes    usable space at the destination, -1 when it cannot be read
 * @param problems     one sentence per check that failed (with the numbers); empty when the backup can start
 */
public record BackupPlan(Path destination, HashAlgorithm hash, int files, long bytes, int filesPresent,
        int filesToCopy, long bytesToCopy, long freeBytes, List<String> problems) {

    public BackupPlan {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(hash, "hash");
        problems = List.copyOf(problems);
    }

    /** True when every check passed. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
