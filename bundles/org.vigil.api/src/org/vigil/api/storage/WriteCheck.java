package org.vigil.api.storage;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer to "may this camera write a segment now, and how much room is there?".
 *
 * @param reason why not, one sentence for a user (also set when allowed but space is low)
 */
public record WriteCheck(boolean allowed, StorageState state, Optional<String> reason, long freeBytes,
        Optional<Duration> timeLeft) {
}
