package org.vigil.backup.internal;

import java.util.Locale;

/**
 * How a verifying read avoids reading the copy back from memory instead of from the disk. Configured with the
 * framework (or system) property {@value #PROPERTY}: {@code auto} (default: {@code fadvise}), {@code direct},
 * {@code fadvise}, {@code none}.
 * <p>
 * Both real modes read the disk (a test checks with {@code fincore} that no page of a fresh copy is cached). Measured
 * on the benchmark machine (docs/benchmarks.md, "Backup"), {@code fadvise} verifies faster: the kernel's read-ahead
 * overlaps the disk with the checksum, while O_DIRECT waits for each read before hashing it. O_DIRECT remains the
 * fallback where the native calls cannot be loaded; plain reads where neither works.
 */
enum CacheBypass {
    /** O_DIRECT: the reads go to the device; where a file system refuses it, {@link #FADVISE} or {@link #NONE}. */
    DIRECT("O_DIRECT"),
    /** posix_fadvise(DONTNEED) on the synced file, then ordinary reads: the pages were dropped, so they come from
     * disk (with read-ahead). Without the native calls, {@link #DIRECT}. */
    FADVISE("fadvise"),
    /** Ordinary reads; what is still cached is read from memory. */
    NONE("none");

    static final String PROPERTY = "vigil.backup.cacheBypass";

    private final String label;

    CacheBypass(String label) {
        this.label = label;
    }

    /** The name reported to users: O_DIRECT, fadvise, none. */
    String label() {
        return label;
    }

    /** The configured mode; {@code auto}, empty and anything unknown is {@link #FADVISE}. */
    static CacheBypass of(String value) {
        if (value == null) {
            return FADVISE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "direct", "o_direct" -> DIRECT;
            case "none" -> NONE;
            default -> FADVISE;
        };
    }
}
