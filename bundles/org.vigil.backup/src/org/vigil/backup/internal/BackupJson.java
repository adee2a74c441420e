package org.vigil.backup.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.vigil.api.backup.BackupPlan;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.VerifyReport;

/**
 * The data behind {@code vigil backup --json}, {@code vigil backup --dry-run --json} and {@code vigil verify --json}
 * (plain maps, written by JsonOutput); the API's endpoints ({@code internal.web}) answer with the same maps.
 */
public final class BackupJson {
    private BackupJson() {
    }

    public static Map<String, Object> plan(BackupPlan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", p.destination().toString());
        m.put("hash", p.hash().id());
        m.put("files", p.files());
        m.put("bytes", p.bytes());
        m.put("files_present", p.filesPresent());
        m.put("files_to_copy", p.filesToCopy());
        m.put("bytes_to_copy", p.bytesToCopy());
        m.put("free_bytes", p.freeBytes());
        m.put("problems", p.problems());
        m.put("ok", p.ok());
        return m;
    }

    public static Map<String, Object> report(BackupReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", r.destination().toString());
        m.put("hash", r.hash().id());
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("files_copied", r.filesCopied());
        m.put("bytes_copied", r.bytesCopied());
        m.put("files_skipped", r.filesSkipped());
        m.put("files_verified", r.filesVerified());
        m.put("bytes_verified", r.bytesVerified());
        m.put("copy_seconds", r.copyTime().toMillis() / 1000.0);
        m.put("copy_bytes_per_second", Math.round(r.copyBytesPerSecond()));
        m.put("verify_seconds", r.verifyTime().toMillis() / 1000.0);
        m.put("verify_bytes_per_second", Math.round(r.verifyBytesPerSecond()));
        m.put("cache_bypass", r.cacheBypass());
        m.put("checksums", Checksum.implementation());
        m.put("manifest", r.manifest().toString());
        m.put("sums", r.sums().toString());
        return m;
    }

    public static Map<String, Object> verify(VerifyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("directory", r.directory().toString());
        m.put("hash", r.hash().id());
        m.put("files", r.files());
        m.put("bytes", r.bytes());
        m.put("seconds", r.elapsed().toMillis() / 1000.0);
        m.put("bytes_per_second", Math.round(r.bytesPerSecond()));
        m.put("intact", r.intact());
        m.put("missing", r.missing());
        m.put("altered", r.altered());
        m.put("unreadable", r.unreadable());
        m.put("extra", r.extra());
        return m;
    }
}
