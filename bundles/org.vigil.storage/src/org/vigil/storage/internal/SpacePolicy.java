package org.vigil.storage.internal;

import java.util.Optional;

import org.vigil.api.command.Bytes;
import org.vigil.api.storage.RetentionSettings;
import org.vigil.api.storage.SpaceInfo;
import org.vigil.api.storage.StorageState;

/**
 * Decides from free space and the recording rate whether recording may go on and how much retention must free:
 * below the minimum free percentage delete until the minimum plus the hysteresis; below the emergency window (an hour
 * of recording at the current rate, capped at half the disk so that a small disk is not emptied) delete until the
 * window fits; below the reserve, pause recording until retention (or a person) frees space.
 */
public final class SpacePolicy {
    /**
     * @param goalFreeBytes  how much free space retention deletes towards
     * @param floorFreeBytes the least free space that ends this state (recording resumes, the minimum or the emergency
     *                       window is met again); retention deletes for space only when it can reach it
     */
    public record Assessment(StorageState state, Optional<String> reason, boolean retentionNeeded, long goalFreeBytes,
            boolean emergency, long floorFreeBytes) {
    }

    private SpacePolicy() {
    }

    public static Assessment assess(SpaceInfo space, long bytesPerSecond, RetentionSettings s, boolean nothingToDelete) {
        return assess(space, bytesPerSecond, s, nothingToDelete, Optional.empty());
    }

    /**
     * As {@link #assess(SpaceInfo, long, RetentionSettings, boolean)}; {@code heldBack} is retention's sentence when it
     * deleted nothing because deleting every recording it may delete would not reach the floor (other files fill the
     * disk): it replaces the promise that retention is freeing space.
     */
    public static Assessment assess(SpaceInfo space, long bytesPerSecond, RetentionSettings s, boolean nothingToDelete,
            Optional<String> heldBack) {
        long total = space.totalBytes();
        long free = space.freeBytes();
        long minFree = (long) (total * s.minFreePercent() / 100.0);
        long target = (long) (total * Math.min(100.0, s.minFreePercent() + s.hysteresisPercent()) / 100.0);
        long emergencyGoal = bytesPerSecond <= 0 ? 0
                : Math.min(bytesPerSecond * s.emergencyWindow().toSeconds(), total / 2);
        boolean emergency = emergencyGoal > 0 && free < emergencyGoal;
        if (free < s.reserveBytes()) {
            long goal = Math.max(Math.max(target, emergencyGoal), Math.min(total / 2, 2 * s.reserveBytes()));
            String why = heldBack.isPresent() ? lower(heldBack.get()) + " Recording is paused until then."
                    : nothingToDelete
                    ? "nothing more can be deleted (what is left is protected or being written). Recording is paused"
                            + " until space is freed; delete or unprotect recordings, or free space on the disk."
                    : "retention is deleting the oldest recordings. Recording is paused and resumes by itself.";
            return new Assessment(StorageState.FULL, Optional.of("The recordings disk is full (" + Bytes.text(free)
                    + " free, " + Bytes.text(s.reserveBytes()) + " needed to record) and " + why), true, goal,
                    emergency, s.reserveBytes());
        }
        if (emergency) {
            long goal = Math.max(emergencyGoal, free < minFree ? target : 0);
            String what = heldBack.isPresent() ? "; " + lower(heldBack.get())
                    : "; retention is deleting the oldest recordings every few seconds"
                            + (nothingToDelete ? ", but nothing more can be deleted." : ".");
            return new Assessment(StorageState.EMERGENCY, Optional.of("Less than "
                    + Format.duration(s.emergencyWindow()) + " of recording fits on the disk (" + Bytes.text(free)
                    + " free at " + Bytes.text(bytesPerSecond) + "/s)" + what), true, goal, true,
                    Math.max(emergencyGoal, free < minFree ? minFree : 0));
        }
        if (free < minFree) {
            return new Assessment(StorageState.LOW_SPACE, Optional.of("Free space is " + Format.percent(
                    space.freePercent()) + ", below the " + Format.percent(s.minFreePercent()) + " minimum; "
                    + (heldBack.isPresent() ? lower(heldBack.get())
                            : nothingToDelete ? "nothing more can be deleted (the rest is protected)."
                            : "retention is deleting the oldest recordings until " + Format.percent(
                                    s.minFreePercent() + s.hysteresisPercent()) + " are free.")), true, target, false,
                    minFree);
        }
        return new Assessment(StorageState.READY, Optional.empty(), false, 0, false, 0);
    }

    private static String lower(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
