package org.vigil.api.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of a completed backup.
 *
 * @param files         segments selected
 * @param bytes         their size
 * @param filesCopied   files copied by this run
 * @param bytesCopied   bytes copied by this run
 * @param filesSkipped  files that were already at the destination with a matching checksum
 * @param filesVerified files read back and compared by this run (0 when verification was off)
 * @param bytesVerified bytes read back
 * @param copyTime      time spent copying (and checking files already there)
 * @param verifyTime    time spent reading copies back
 * @param cacheBypass   how verification avoided the page cache: {@code O_DIRECT}, {@code fadvise} or {@code none}
 * @param manifest      the {@code manifest.json} written
 * @param sums          the {@code SHA256SUMS} or {@code MD5SUMS} written
 */
public record BackupReport(Path destination, HashAlgorithm hash, int files, long bytes, int filesCopied,
        long bytesCopied, int filesSkipped, int filesVerified, long bytesVerified, Duration copyTime,
        Duration verifyTime, String cacheBypass, Path manifest, Path sums) {

    public BackupReport {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(copyTime, "copyTime");
        Objects.requireNonNull(verifyTime, "verifyTime");
        Objects.requireNonNull(cacheBypass, "cacheBypass");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(sums, "sums");
    }

    /** Copy speed in bytes per second, 0 when nothing was copied. */
    public double copyBytesPerSecond() {
        return rate(bytesCopied, copyTime);
    }

    /** Verification speed in bytes per second, 0 when nothing was verified. */
    public double verifyBytesPerSecond() {
        return rate(bytesVerified, verifyTime);
    }

    static double rate(long bytes, Duration d) {
        double s = d.toNanos() / 1e9;
        return s <= 0 ? 0 : bytes / s;
    }
}
