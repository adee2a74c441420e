package org.vigil.api.camera;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connection test ({@link CameraService#probe}) found at a camera's URL: the video stream and one decoded
 * picture, or why the camera cannot be used, in one sentence.
 *
 * @param url        the URL tested, its password masked ({@link CameraUrls#mask})
 * @param failure    why the stream cannot be recorded, one sentence for a user (the recorder's own words: wrong
 *                   password, wrong path, nothing listening, not a camera, no video, no answer in time, no codec
 *                   plugin); empty when it can be recorded
 * @param encoding   the RTP encoding name of the video ({@code H264}, {@code H265}, {@code JPEG}); empty when no
 *                   video stream was found
 * @param codec      the codec of the plugin that would record the video; empty when no plugin handles it
 * @param codecName  the plugin's name for users ("H.264"), else the encoding name
 * @param width      picture width in pixels, 0 when not known
 * @param height     picture height in pixels, 0 when not known
 * @param fps        frames per second, from the stream's description or counted while testing; empty when not known
 * @param audio      the audio the camera sends ({@code AAC}, {@code PCMA}...); empty when it sends none
 * @param snapshot   one decoded picture in BGRx, fitting {@value #SNAPSHOT_WIDTH}x{@value #SNAPSHOT_HEIGHT} with
 *                   the stream's aspect ratio; empty when none could be decoded in time
 */
public record ProbeResult(String url, Optional<String> failure, String encoding, Optional<Codec> codec,
        String codecName, int width, int height, Optional<Double> fps, Optional<String> audio,
        Optional<VideoFrame> snapshot) {

    /** The largest snapshot: pictures are scaled down (never up) to fit it. */
    public static final int SNAPSHOT_WIDTH = 640;
    public static final int SNAPSHOT_HEIGHT = 360;

    public ProbeResult {
        Objects.requireNonNull(url, "url");
        failure = Objects.requireNonNullElse(failure, Optional.<String>empty()).filter(s -> !s.isBlank());
        encoding = Objects.requireNonNullElse(encoding, "");
        codec = Objects.requireNonNullElse(codec, Optional.empty());
        codecName = codecName == null || codecName.isBlank() ? encoding : codecName;
        fps = Objects.requireNonNullElse(fps, Optional.<Double>empty()).filter(f -> Double.isFinite(f) && f > 0);
        audio = Objects.requireNonNullElse(audio, Optional.<String>empty()).filter(s -> !s.isBlank());
        snapshot = Objects.requireNonNullElse(snapshot, Optional.empty());
        width = Math.max(0, width);
        height = Math.max(0, height);
    }

    /** A test that found no usable stream: only the reason. */
    public static ProbeResult failed(String url, String failure) {
        return new ProbeResult(CameraUrls.mask(url), Optional.of(failure), "", Optional.empty(), "", 0, 0,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the recorder can record this stream: a video stream was found and a codec plugin takes it. */
    public boolean recordable() {
        return failure.isEmpty() && codec.isPresent();
    }

    /** Whether the camera sends AAC audio, which is recorded with the video. */
    public boolean aacAudio() {
        return audio.map("AAC"::equals).orElse(false);
    }

    /**
     * One line for a user: {@code "H.264 1920x1080 25 fps, AAC audio — recordable"}, or the failure sentence (after
     * what was found of the stream, when something was).
     */
    public String summary() {
        if (encoding.isEmpty()) {
            return failure.orElse("No video stream was found.");
        }
        StringBuilder b = new StringBuilder(codecName);
        if (width > 0 && height > 0) {
            b.append(' ').append(width).append('x').append(height);
        }
        fps.ifPresent(f -> b.append(' ').append(Math.abs(f - Math.rint(f)) < 0.05
                ? Long.toString(Math.round(f)) : String.format(Locale.ROOT, "%.1f", f)).append(" fps"));
        b.append(", ").append(audio.map(a -> aacAudio() ? "AAC audio" : a + " audio (not recorded)")
                .orElse("no audio"));
        if (failure.isPresent()) {
            return b.append(" — not recordable: ").append(failure.get()).toString();
        }
        b.append(" — recordable");
        if (snapshot.isEmpty()) {
            b.append(" (no picture could be decoded)");
        }
        return b.toString();
    }
}
