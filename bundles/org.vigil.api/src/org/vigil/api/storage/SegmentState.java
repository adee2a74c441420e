package org.vigil.api.storage;

/** How a segment came into the catalog. */
public enum SegmentState {
    /** Announced by the recorder after it closed and synced the file. */
    RECORDED,
    /** Found on disk without a row (a recorder crash, a file copied in) and catalogued from its headers. */
    RECOVERED,
    /** Catalogued by {@code vigil storage import} from a tree of the old application. */
    IMPORTED;
}
