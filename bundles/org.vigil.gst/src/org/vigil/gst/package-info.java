/**
 * GStreamer access for every Vigil bundle: the {@link org.vigil.gst.GstRuntime} service (GStreamer initialised once
 * per framework, element availability with the Debian package to install) and {@link org.vigil.gst.ManagedPipeline},
 * the one way a pipeline is built and released (EOS, NULL, every listener disconnected, every proxy disposed).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.gst;
