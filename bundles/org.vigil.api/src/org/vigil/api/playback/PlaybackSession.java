package org.vigil.api.playback;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.camera.FrameSink;
import org.vigil.api.platform.Registration;

/**
 * Playback of one camera's recordings, or of up to {@link PlaybackService#MAX_CAMERAS} cameras in step, as one
 * wall-clock timeline across their segment files. One session controls every camera: seek, speed, pause and step act
 * on all of them, and frames of the same instant are shown together.
 * <p>
 * Every method returns at once; the stages complete on a scheduler thread when the new picture is there (or
 * exceptionally with a {@link PlaybackException} saying why not). A newer request supersedes an older one that has
 * not completed yet (its stage completes with the position reached). Closing releases the pipelines, listeners and
 * timers at once (seed S3).
 */
@ProviderType
public interface PlaybackSession extends AutoCloseable {
    /** The slowest speed. */
    double MIN_SPEED = 0.25;
    /** The fastest speed. */
    double MAX_SPEED = 16;
    /** Above this speed only keyframes are shown. */
    double KEYFRAMES_ONLY_ABOVE = 4;

    /** The cameras of the session, in the order given when it was opened. */
    List<String> cameras();

    /**
     * Delivers the pictures of every camera of the session ({@link org.vigil.api.camera.VideoFrame#cameraId()} says
     * which), in BGRx at the session's picture size, with {@link org.vigil.api.camera.VideoFrame#time()} the time the
     * frame was recorded. Closing the handle ends the delivery.
     */
    Registration frames(FrameSink sink);

    /** Changes the picture size for the frames that follow (2 to 8192 pixels each way). */
    void resize(int width, int height);

    /** Plays from the position shown; at a stop before a gap, goes on at the next recording. */
    CompletionStage<Instant> play();

    /** Pauses; completes with the position of the picture shown. */
    CompletionStage<Instant> pause();

    /**
     * Shows the frame recorded at {@code time} (accurate: the frame that was on screen at that instant, not the
     * keyframe before it), then goes on as before (playing or paused). Where nothing was recorded at {@code time} the
     * gap policy decides: jump to the next recording or stop there.
     */
    CompletionStage<Instant> seek(Instant time);

    /**
     * Sets the speed, {@link #MIN_SPEED} to {@link #MAX_SPEED}; above {@link #KEYFRAMES_ONLY_ABOVE} only keyframes
     * are shown.
     *
     * @throws IllegalArgumentException for a speed out of range
     */
    CompletionStage<Instant> speed(double speed);

    /** Pauses if playing and shows the next frame; completes with its time. */
    CompletionStage<Instant> step();

    /** Writes the picture shown now of {@code cameraId}, at the recording's own size. */
    CompletionStage<Snapshot> snapshot(String cameraId, Path out, ImageFormat format);

    /** Where the session is now. */
    PlaybackStatus status();

    /** Called every 200 ms while open and at every change of state, on a scheduler thread: return quickly. */
    Registration onStatus(Consumer<PlaybackStatus> listener);

    /** Called for gaps, damaged recordings and the end of the recordings, on a scheduler thread. */
    Registration onEvent(Consumer<PlaybackEvent> listener);

    /** Stops: the same as {@link #close()}. */
    default void stop() {
        close();
    }

    /**
     * Stops and releases everything at once: bus listeners removed, pipelines to NULL and disposed, timers cancelled,
     * files closed. Idempotent; never throws.
     */
    @Override
    void close();
}
