package org.vigil.api.playback;

import java.util.Objects;

/**
 * How a session plays.
 *
 * @param width  width of the pictures delivered to frame sinks (2 to 8192); the picture keeps its aspect ratio with
 *               black borders where needed
 * @param height height of the pictures (2 to 8192)
 * @param gaps   what happens where nothing was recorded
 * @param play   start playing at once (true) or show the first picture paused
 */
public record PlaybackOptions(int width, int height, GapPolicy gaps, boolean play) {
    public static final int MIN_SIZE = 2;
    public static final int MAX_SIZE = 8192;

    public PlaybackOptions {
        Objects.requireNonNull(gaps, "gaps");
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("A picture size of " + width + "x" + height + " is not possible; use "
                    + MIN_SIZE + " to " + MAX_SIZE + " pixels each way.");
        }
    }

    /** 640x360, jumping over gaps, playing at once. */
    public static PlaybackOptions defaults() {
        return new PlaybackOptions(640, 360, GapPolicy.JUMP, true);
    }

    public PlaybackOptions withSize(int w, int h) {
        return new PlaybackOptions(w, h, gaps, play);
    }

    public PlaybackOptions withGaps(GapPolicy policy) {
        return new PlaybackOptions(width, height, policy, play);
    }

    public PlaybackOptions paused() {
        return new PlaybackOptions(width, height, gaps, false);
    }
}
