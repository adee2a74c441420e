package org.vigil.api.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of checking a backup folder against its checksum list. Paths are relative to {@code directory},
 * {@code /}-separated.
 *
 * @param files      files listed in the checksum list
 * @param bytes      bytes read
 * @param missing    listed files that are not there
 * @param altered    listed files whose checksum differs (changed, damaged, or cut short)
 * @param unreadable listed files that could not be read (an I/O error: a failing drive)
 * @param extra      files in the folder that the list does not name (an unfinished {@code .part} copy among them)
 */
public record VerifyReport(Path directory, HashAlgorithm hash, int files, long bytes, List<String> missing,
        List<String> altered, List<String> unreadable, List<String> extra, Duration elapsed) {

    public VerifyReport {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(hash, "hash");
        missing = List.copyOf(missing);
        altered = List.copyOf(altered);
        unreadable = List.copyOf(unreadable);
        extra = List.copyOf(extra);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** True when every listed file is there with its checksum. Extra files do not make a backup damaged. */
    public boolean intact() {
        return missing.isEmpty() && altered.isEmpty() && unreadable.isEmpty();
    }

    /** Reading speed in bytes per second. */
    public double bytesPerSecond() {
        return BackupReport.rate(bytes, elapsed);
    }
}
