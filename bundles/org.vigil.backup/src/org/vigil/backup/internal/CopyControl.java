package org.vigil.backup.internal;

import java.io.IOException;

/** What a copy or a checksum read asks of its job, about every MiB. */
interface CopyControl {
    /** True when the job was cancelled: the file in hand is rolled back. */
    boolean cancelled();

    /** {@code bytes} more were read (and written, when copying). */
    void progress(long bytes);

    /** Throws when the destination has gone (unplugged, unmounted, deleted). Cheap: it looks at most twice a second. */
    void checkDestination() throws IOException;

    /** Cancelled when {@code cancelled} says so; no progress, no destination to watch. */
    static CopyControl simple(java.util.function.BooleanSupplier cancelled) {
        return new CopyControl() {
            @Override
            public boolean cancelled() {
                return cancelled.getAsBoolean();
            }

            @Override
            public void progress(long bytes) {
            }

            @Override
            public void checkDestination() {
            }
        };
    }
}
