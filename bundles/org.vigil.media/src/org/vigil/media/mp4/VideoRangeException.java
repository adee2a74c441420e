package org.vigil.media.mp4;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A time range that cannot be served as one MP4. The message is one sentence for a user (what is wrong, what to do),
 * never a Java exception's text; {@link #reason()} says which case it is (an HTTP server maps it to a status) and
 * {@link #splitAt()}, for a change of the video's parameters, the time where a second part would start.
 */
public final class VideoRangeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the range was refused. */
    public enum Reason {
        /** No playable recording in the range. */
        NO_RECORDINGS,
        /** The range is empty, reversed, or longer than {@link VirtualMp4#MAX_RANGE}. */
        BAD_RANGE,
        /** The codec, its parameters or the picture size change inside the range. */
        CODEC_CHANGE,
        /** A recording in the range is not MP4 (Matroska, as MJPEG is recorded). */
        NOT_MP4
    }

    private final Reason reason;
    private final transient Instant splitAt;

    public VideoRangeException(Reason reason, String sentence, Instant splitAt) {
        super(sentence);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.splitAt = splitAt;
    }

    public VideoRangeException(Reason reason, String sentence) {
        this(reason, sentence, null);
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#CODEC_CHANGE}: where the recordings with the new parameters start. */
    public Optional<Instant> splitAt() {
        return Optional.ofNullable(splitAt);
    }
}
