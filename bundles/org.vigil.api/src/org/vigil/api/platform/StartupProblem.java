package org.vigil.api.platform;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Something that keeps this installation from working at all (a missing GStreamer plugin, say), registered as a
 * service by the bundle that found it. The launcher of a recorder prints each problem's sentence (the service
 * property {@value #PROPERTY}) and exits non-zero instead of running a recorder that cannot record.
 */
@ProviderType
public interface StartupProblem {
    /** Service property holding the sentence for the user. */
    String PROPERTY = "startup.problem";

    /** What is wrong and what to do, in one sentence. */
    String sentence();
}
