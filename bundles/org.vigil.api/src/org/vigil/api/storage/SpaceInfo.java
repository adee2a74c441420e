package org.vigil.api.storage;

/**
 * Space of the volume holding the recordings root.
 *
 * @param freeBytes bytes this process may still write (usable space)
 */
public record SpaceInfo(long totalBytes, long freeBytes) {
    public static final SpaceInfo UNKNOWN = new SpaceInfo(0, 0);

    /** Free space in percent of the total, 0 when unknown. */
    public double freePercent() {
        return totalBytes <= 0 ? 0 : 100.0 * freeBytes / totalBytes;
    }
}
