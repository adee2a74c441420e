package org.vigil.gst;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.freedesktop.gstreamer.Pipeline;
import org.osgi.annotation.versioning.ProviderType;

/**
 * GStreamer, initialised once for the whole framework. A bundle that builds pipelines references this service
 * (which guarantees {@code Gst.init} ran) and never calls {@code Gst.init} itself.
 */
@ProviderType
public interface GstRuntime {

    /** The version of the GStreamer library loaded in this process, such as {@code 1.22.0}. */
    String version();

    /** Whether the element factory {@code factory} (such as {@code x264enc}) is installed. */
    boolean hasElement(String factory);

    /**
     * Checks that every element factory exists.
     *
     * @throws MissingElementException naming, in one sentence, what is missing and the Debian package to install
     */
    void requireElements(Collection<String> factories) throws MissingElementException;

    /** {@link #requireElements(Collection)} for a few names. */
    default void requireElements(String... factories) throws MissingElementException {
        requireElements(List.of(factories));
    }

    /** The first installed factory of {@code choices}, for elements with alternatives (AAC encoders). */
    Optional<String> firstAvailable(String... choices);

    /** The Debian package that provides {@code factory}, for the elements Vigil uses. */
    Optional<String> debianPackage(String factory);

    /** Elements Vigil needs that are not installed on this machine (empty when all are). */
    List<String> missingElements();

    /**
     * Builds a pipeline from a {@code gst-launch} description and manages it.
     *
     * @param name names the pipeline in logs and in GStreamer's debug output, such as {@code camera-front}
     * @throws MissingElementException when the description names an element that is not installed
     * @throws IllegalArgumentException when the description cannot be parsed
     */
    ManagedPipeline parse(String name, String description) throws MissingElementException;

    /** Manages a pipeline built by hand; its release then belongs to the returned object. */
    ManagedPipeline manage(String name, Pipeline pipeline);
}
