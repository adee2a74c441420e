package org.vigil.api.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of the recordings storage as shown by {@code vigil storage status} and told to recorders.
 *
 * @param reason         one sentence for a user whenever the state is not {@link StorageState#READY}
 * @param volumeId       the identity of the recordings volume the catalog belongs to, once known
 * @param bytesPerSecond the total recording rate of all cameras, from recent segments
 * @param updated        when this status was computed
 */
public record StorageStatus(StorageState state, Optional<String> reason, Path root, Optional<String> volumeId,
        SpaceInfo space, long bytesPerSecond, Instant updated) {

    public StorageStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(updated, "updated");
    }

    public boolean canRecord() {
        return state.canRecord();
    }

    /** How long recording can go on at the current rate before the disk is full, when a rate is known. */
    public Optional<Duration> timeLeft() {
        if (bytesPerSecond <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(space.freeBytes() / bytesPerSecond));
    }
}
