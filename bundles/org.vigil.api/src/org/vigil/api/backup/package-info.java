/**
 * Backups of recordings to a folder (a USB drive, a mounted network share) and their verification.
 * <p>
 * A backup mirrors the recordings' layout {@code <camera_id>/<YYYYMMDD>/<file>} under the destination and keeps two
 * manifests at its root: {@code SHA256SUMS} (or {@code MD5SUMS}) in the format {@code sha256sum -c} reads, so that
 * anyone can check the copies on any machine without Vigil, and {@code manifest.json} (camera, start, end, bytes and
 * hash of each file, who copied it and when). Each source file is read once: the hash is computed while copying into
 * {@code <name>.part}, which is synced and then renamed; a file under its final name is always complete. Backups are
 * incremental and resumable: running the same backup again skips what is already there with a matching hash.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.api.backup;
