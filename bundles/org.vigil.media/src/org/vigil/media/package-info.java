/**
 * The one reader of the containers Vigil records into: MP4 (ISO BMFF, plain or fragmented) and Matroska/WebM.
 * {@link org.vigil.media.MediaParser#parse} reads a file's structure without decoding and gives its video track, every
 * complete frame (where its bytes are, its times, whether it is a keyframe) and whether the file was finished or cut;
 * a file that cannot be played is a {@link org.vigil.media.DamagedMediaException} whose message is one sentence for a
 * user. Used by the storage (probing files for the catalog) and by playback (reading frames). Plain Java: no
 * GStreamer, no OSGi services.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.media;
