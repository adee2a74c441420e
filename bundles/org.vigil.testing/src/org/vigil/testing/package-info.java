/**
 * Support shared by the test bundles (never part of the product): waiting for a condition instead of sleeping,
 * running a command as the command line runs it, making test recordings with gst-launch-1.0, and reading what a leak
 * would grow.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.vigil.testing;
