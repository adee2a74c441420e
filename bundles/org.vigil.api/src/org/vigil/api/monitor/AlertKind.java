package org.vigil.api.monitor;

/** What an alert is about. */
public enum AlertKind {
    /** A camera has not delivered frames for longer than the offline delay (30 s by default). */
    CAMERA_OFFLINE,
    /** A camera is online but its newest segment is older than twice the segment length. */
    RECORDING_STALLED,
    /** The recordings volume has less free space than the retention floor, for longer than a short grace. */
    DISK_LOW,
    /** Below the retention floor, free space keeps falling: recordings arrive faster than retention deletes. */
    DISK_FILLING,
    /** The SoC temperature is above the limit (80 °C by default). */
    TEMPERATURE_HIGH,
    /** The platform reports under-voltage, throttling or a capped frequency now (Raspberry Pi). */
    THROTTLED,
    /** Vigil's resident memory grew steadily for an hour. */
    MEMORY_GROWING,
    /** Vigil's thread count grew steadily for an hour. */
    THREADS_GROWING
}
