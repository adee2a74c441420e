/**
 * The writer side of {@code org.vigil.media}: {@link org.vigil.media.mp4.VirtualMp4} turns recorded MP4 segments and
 * a time range into one plain ("faststart") MP4 file that exists only as a generated header and a list of slices of
 * the segment files, so that any byte range of it can be read without re-encoding and without a temporary file (what
 * an HTTP server needs to answer {@code Range:} requests from browsers, VLC, ffplay and ffprobe). A range that cannot
 * be one MP4 is a {@link org.vigil.media.mp4.VideoRangeException} with one sentence.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.media.mp4;
