/**
 * Playback of recordings: a camera's segments as one wall-clock timeline with seek, speed, frame step and snapshots,
 * synchronised playback of several cameras, and clip export without re-encoding.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.api.playback;
