package org.vigil.gst;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.elements.AppSink;

/**
 * Reading one sample from an appsink with every native reference released at once (pull, map, read, unmap,
 * dispose buffer, caps and sample), as the per-frame code in {@code new-sample} handlers must.
 */
public final class Samples {
    private Samples() {
    }

    /**
     * What is read from one sample; {@code data} is valid only during the call (copy what you keep) and {@code caps}
     * may be null.
     */
    @FunctionalInterface
    public interface Reader<R> {
        R read(Caps caps, ByteBuffer data, long ptsNanos);
    }

    /** Pulls the next sample of {@code sink} and reads it; empty at end-of-stream or when the sink is stopping. */
    public static <R> Optional<R> pull(AppSink sink, Reader<R> reader) {
        Sample sample = sink.pullSample();
        if (sample == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(read(sample, reader));
    }

    /** Reads {@code sample} and disposes it. */
    public static <R> R read(Sample sample, Reader<R> reader) {
        Caps caps = null;
        Buffer buffer = null;
        try {
            caps = sample.getCaps();
            buffer = sample.getBuffer();
            ByteBuffer data = buffer.map(false);
            if (data == null) {
                return reader.read(caps, ByteBuffer.allocate(0), buffer.getPresentationTimestamp());
            }
            try {
                return reader.read(caps, data, buffer.getPresentationTimestamp());
            } finally {
                buffer.unmap();
            }
        } finally {
            if (buffer != null) {
                buffer.dispose();
            }
            if (caps != null) {
                caps.dispose();
            }
            sample.dispose();
        }
    }
}
