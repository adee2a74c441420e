package org.vigil.ui;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One item of the workbench's status bar, as a service: the clock, the instance's state, host load, and later camera
 * and disk health from the monitor. The workbench reads every source about once a second on the shared scheduler
 * (never on the display thread) and shows the readings sorted by {@link #order()}. Of several sources with the same
 * {@link #id()} only the one with the highest {@code service.ranking} is shown, so that a bundle can replace a
 * built-in item ({@code host}, {@code instance}, {@code clock}).
 */
@ConsumerType
public interface StatusSource {
    /** A short id ({@code clock}, {@code host}, {@code instance}, {@code cameras}). */
    String id();

    /** Place in the status bar, left to right: smaller first. */
    default int order() {
        return 100;
    }

    /**
     * The current reading; an empty text hides the item (an alert source while all is well). Called on a scheduler
     * thread; must return quickly and not throw.
     */
    StatusReading read();
}
