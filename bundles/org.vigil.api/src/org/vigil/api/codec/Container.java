package org.vigil.api.codec;

/** A file format segments are written in. MJPEG cannot go into MP4, so it is recorded in Matroska. */
public enum Container {
    MP4("mp4mux", "qtdemux", "mp4"),
    MATROSKA("matroskamux", "matroskademux", "mkv");

    private final String muxer;
    private final String demuxer;
    private final String extension;

    Container(String muxer, String demuxer, String extension) {
        this.muxer = muxer;
        this.demuxer = demuxer;
        this.extension = extension;
    }

    /** GStreamer factory of the muxer. */
    public String muxer() {
        return muxer;
    }

    /** GStreamer factory of the demuxer used for playback. */
    public String demuxer() {
        return demuxer;
    }

    /** File extension without the dot. */
    public String extension() {
        return extension;
    }
}
