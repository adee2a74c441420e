package org.vigil.api.codec;

import java.util.Objects;
import java.util.Optional;

import org.vigil.api.camera.Codec;

/** A codec plugin described by its element choices; a plugin bundle's component extends it with its values. */
public abstract class BasicCodecPlugin implements CodecPlugin {
    private final Codec codec;
    private final String rtpEncodingName;
    private final String displayName;
    private final String depayloader;
    private final Optional<String> parser;
    private final String decoder;
    private final Container container;

    protected BasicCodecPlugin(Codec codec, String rtpEncodingName, String displayName, String depayloader,
            String parser, String decoder, Container container) {
        this.codec = Objects.requireNonNull(codec);
        this.rtpEncodingName = Objects.requireNonNull(rtpEncodingName);
        this.displayName = Objects.requireNonNull(displayName);
        this.depayloader = Objects.requireNonNull(depayloader);
        this.parser = Optional.ofNullable(parser);
        this.decoder = Objects.requireNonNull(decoder);
        this.container = Objects.requireNonNull(container);
    }

    @Override
    public final Codec codec() {
        return codec;
    }

    @Override
    public final String rtpEncodingName() {
        return rtpEncodingName;
    }

    @Override
    public final String displayName() {
        return displayName;
    }

    @Override
    public final String depayloader() {
        return depayloader;
    }

    @Override
    public final Optional<String> parser() {
        return parser;
    }

    @Override
    public final String decoder() {
        return decoder;
    }

    @Override
    public final Container container() {
        return container;
    }

    @Override
    public String toString() {
        return displayName + " codec plugin";
    }
}
