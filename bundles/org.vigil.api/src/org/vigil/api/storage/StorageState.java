package org.vigil.api.storage;

/** Whether recordings can be written, and if not, why. */
public enum StorageState {
    /** Recording normally. */
    READY,
    /** Free space is below the retention minimum; retention is deleting the oldest recordings. Recording goes on. */
    LOW_SPACE,
    /** Less than the emergency window (an hour) of recording at the current bit rate is left; retention deletes hard. */
    EMERGENCY,
    /** The disk is full and retention cannot free space yet: recording is paused and resumes by itself. */
    FULL,
    /** The recordings disk is not there (not mounted; the folder is missing or is an empty folder). */
    VOLUME_MISSING,
    /** The folder holds another catalog's recordings (a swapped disk). */
    WRONG_VOLUME,
    /** No storage plugin for the recordings root is installed (being replaced, or removed). */
    NO_PLUGIN,
    /** The catalog or the disk failed in a way a person must look at; the reason says what. */
    FAILED;

    /** True when a recorder may start a new segment. */
    public boolean canRecord() {
        return this == READY || this == LOW_SPACE || this == EMERGENCY;
    }
}
