package org.vigil.api.backup;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.job.Job;

/**
 * Backs recordings up to a folder and verifies backups. Both run as jobs on the job runner (never on daemon threads):
 * progress in bytes and files with throughput and time left, cancel within a second (the file in hand is rolled back:
 * its {@code .part} copy is removed and no file stands half-written under its final name).
 */
@ProviderType
public interface BackupService {
    /** The destination configured as the default ({@code destination} of {@code org.vigil.backup}), if any. */
    Optional<Path> defaultDestination();

    /** A request for everything to {@code destination} with the configured checksum and verification. */
    BackupRequest request(Path destination);

    /**
     * Checks a backup before it starts: selection, destination (exists, writable, not inside the recordings), free
     * space, file sizes the destination's file system allows, files already there. Reads the catalog and the
     * destination's manifests; call it off any display thread.
     */
    BackupPlan plan(BackupRequest request);

    /**
     * Starts a backup. When a check fails the job fails with a {@link BackupRefusedException} before anything is
     * written.
     */
    Job<BackupReport> backup(BackupRequest request);

    /**
     * Starts checking a backup folder: every file named in its {@code SHA256SUMS} or {@code MD5SUMS} (made by Vigil or
     * by {@code sha256sum}) is read (bypassing the page cache where possible) and compared.
     */
    Job<VerifyReport> verify(Path directory);
}
