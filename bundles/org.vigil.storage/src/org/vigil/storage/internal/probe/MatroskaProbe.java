package org.vigil.storage.internal.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * Reads the element structure of a Matroska file without decoding: the EBML header, Info, Tracks, and every block of
 * the video track in complete clusters (block headers only). A file cut by a crash is playable up to its last complete
 * block.
 */
final class MatroskaProbe {
    static final int EBML = 0x1A45DFA3;
    private static final int SEGMENT = 0x18538067;
    private static final int INFO = 0x1549A966;
    private static final int TRACKS = 0x1654AE6B;
    private static final int CLUSTER = 0x1F43B675;
    private static final int CUES = 0x1C53BB6B;
    private static final int TRACK_ENTRY = 0xAE;
    private static final int TRACK_NUMBER = 0xD7;
    private static final int TRACK_TYPE = 0x83;
    private static final int CODEC_ID = 0x86;
    private static final int DEFAULT_DURATION = 0x23E383;
    private static final int CODEC_PRIVATE = 0x63A2;
    private static final int TIMECODE_SCALE = 0x2AD7B1;
    private static final int DURATION = 0x4489;
    private static final int DATE_UTC = 0x4461;
    private static final int DOC_TYPE = 0x4282;
    private static final int CLUSTER_TIMECODE = 0xE7;
    private static final int SIMPLE_BLOCK = 0xA3;
    private static final int BLOCK_GROUP = 0xA0;
    private static final int BLOCK = 0xA1;
    private static final long UNKNOWN = -1;
    private static final long MAX_HEADER_ELEMENT = 16L << 20;
    /** 2001-01-01T00:00:00Z, the origin of DateUTC. */
    private static final long MKV_EPOCH_SECONDS = 978_307_200L;

    private final ChannelReader in;
    private long timecodeScale = 1_000_000;
    private double infoDuration = -1;
    private Optional<Instant> created = Optional.empty();
    private long videoTrack = -1;
    private String codecId = "";
    private long defaultDurationNs;
    private long blocks;
    private long firstTs = Long.MAX_VALUE;
    private long lastTs = Long.MIN_VALUE;
    private boolean truncated;
    private boolean cuesSeen;

    private MatroskaProbe(ChannelReader in) {
        this.in = in;
    }

    static ProbeResult probe(ChannelReader in) throws IOException {
        return new MatroskaProbe(in).run();
    }

    private record Element(int id, long pos, int header, long size) {
        long dataPos() {
            return pos + header;
        }

        long end() {
            return size == UNKNOWN ? Long.MAX_VALUE : dataPos() + size;
        }
    }

    /** The element header at {@code pos}, or null when it does not fit in the file. */
    private Element elementAt(long pos) throws IOException {
        if (pos >= in.size()) {
            return null;
        }
        ByteBuffer b = in.at(pos, 12);
        int first = b.get(0) & 0xFF;
        int idLen = Integer.numberOfLeadingZeros(first) - 23;
        if (idLen < 1 || idLen > 4 || b.remaining() < idLen + 1) {
            return null;
        }
        int id = 0;
        for (int i = 0; i < idLen; i++) {
            id = (id << 8) | (b.get(i) & 0xFF);
        }
        int s0 = b.get(idLen) & 0xFF;
        int sizeLen = Integer.numberOfLeadingZeros(s0) - 23;
        if (sizeLen < 1 || sizeLen > 8 || b.remaining() < idLen + sizeLen) {
            return null;
        }
        long size = s0 & (0xFF >> sizeLen);
        boolean allOnes = size == (0xFF >> sizeLen);
        for (int i = 1; i < sizeLen; i++) {
            int v = b.get(idLen + i) & 0xFF;
            allOnes &= v == 0xFF;
            size = (size << 8) | v;
        }
        return new Element(id, pos, idLen + sizeLen, allOnes ? UNKNOWN : size);
    }

    private ProbeResult run() throws IOException {
        Element ebml = elementAt(0);
        if (ebml == null || ebml.id != EBML || ebml.size == UNKNOWN || ebml.end() > in.size()) {
            return ProbeResult.unplayable(Container.MATROSKA, "it is not a Matroska file (no EBML header)");
        }
        String docType = "matroska";
        for (long p = ebml.dataPos(); p < ebml.end();) {
            Element e = elementAt(p);
            if (e == null || e.size == UNKNOWN) {
                break;
            }
            if (e.id == DOC_TYPE) {
                docType = string(e);
            }
            p = e.end();
        }
        if (!docType.equals("matroska") && !docType.equals("webm")) {
            return ProbeResult.unplayable(Container.MATROSKA, "its document type '" + docType + "' is not Matroska");
        }
        Element segment = elementAt(ebml.end());
        if (segment == null || segment.id != SEGMENT) {
            return ProbeResult.unplayable(Container.MATROSKA, "it has no Matroska segment");
        }
        long segmentEnd = Math.min(segment.end(), in.size());
        if (segment.end() != Long.MAX_VALUE && segment.end() > in.size()) {
            truncated = true;
        }
        long p = segment.dataPos();
        while (p < segmentEnd) {
            Element e = elementAt(p);
            if (e == null) {
                truncated = true;
                break;
            }
            if (e.id == CLUSTER) {
                p = cluster(e, segmentEnd);
                continue;
            }
            if (e.size == UNKNOWN || e.end() > in.size()) {
                truncated = true;
                break;
            }
            if (e.id == INFO && e.size < MAX_HEADER_ELEMENT) {
                info(e);
            } else if (e.id == TRACKS && e.size < MAX_HEADER_ELEMENT) {
                tracks(e);
            } else if (e.id == CUES) {
                cuesSeen = true;
            }
            p = e.end();
        }
        if (videoTrack < 0) {
            return ProbeResult.unplayable(Container.MATROSKA, "it has no video track");
        }
        Codec codec = switch (codecId) {
            case "V_MJPEG" -> Codec.MJPEG;
            case "V_MPEG4/ISO/AVC" -> Codec.H264;
            case "V_MPEGH/ISO/HEVC" -> Codec.H265;
            default -> Codec.AUTO;
        };
        if (codec == Codec.AUTO) {
            return ProbeResult.unplayable(Container.MATROSKA, "its video codec '" + codecId + "' is not one Vigil plays");
        }
        if (blocks == 0) {
            return ProbeResult.unplayable(Container.MATROSKA, "it holds no complete video frame");
        }
        Duration d;
        if (infoDuration > 0 && !truncated) {
            d = Duration.ofNanos((long) (infoDuration * timecodeScale));
        } else {
            long frameNs = defaultDurationNs > 0 ? defaultDurationNs
                    : blocks > 1 ? (lastTs - firstTs) * timecodeScale / (blocks - 1) : 0;
            d = Duration.ofNanos((lastTs - firstTs) * timecodeScale + frameNs);
        }
        return new ProbeResult(true, cuesSeen && !truncated, truncated, Container.MATROSKA, codec, d, blocks, created,
                "");
    }

    /** Counts the video blocks of a cluster; returns where the next top-level element starts. */
    private long cluster(Element c, long segmentEnd) throws IOException {
        long end = Math.min(c.end(), segmentEnd);
        if (c.size != UNKNOWN && c.end() > in.size()) {
            truncated = true;
        }
        long clusterTs = 0;
        long p = c.dataPos();
        while (p < end) {
            Element e = elementAt(p);
            if (e == null) {
                truncated = true;
                return in.size();
            }
            if (c.size == UNKNOWN && (e.id == CLUSTER || e.id == CUES || e.id == INFO || e.id == TRACKS
                    || e.id == 0x1254C367 || e.id == 0x114D9B74)) {
                return p; // an unknown-size cluster ends where the next top-level element starts
            }
            if (e.size == UNKNOWN || e.end() > in.size()) {
                truncated = true;
                return in.size();
            }
            if (e.id == CLUSTER_TIMECODE) {
                clusterTs = uint(e);
            } else if (e.id == SIMPLE_BLOCK) {
                block(e.dataPos(), clusterTs);
            } else if (e.id == BLOCK_GROUP) {
                for (long q = e.dataPos(); q < e.end();) {
                    Element b = elementAt(q);
                    if (b == null || b.size == UNKNOWN) {
                        break;
                    }
                    if (b.id == BLOCK) {
                        block(b.dataPos(), clusterTs);
                    }
                    q = b.end();
                }
            }
            p = e.end();
        }
        return end;
    }

    private void block(long pos, long clusterTs) throws IOException {
        ByteBuffer b = in.at(pos, 11);
        int first = b.get(0) & 0xFF;
        int len = Integer.numberOfLeadingZeros(first) - 23;
        if (len < 1 || len > 8 || b.remaining() < len + 2) {
            return;
        }
        long track = first & (0xFF >> len);
        for (int i = 1; i < len; i++) {
            track = (track << 8) | (b.get(i) & 0xFF);
        }
        if (track != videoTrack) {
            return;
        }
        long ts = clusterTs + b.getShort(len);
        blocks++;
        firstTs = Math.min(firstTs, ts);
        lastTs = Math.max(lastTs, ts);
    }

    private void info(Element info) throws IOException {
        for (long p = info.dataPos(); p < info.end();) {
            Element e = elementAt(p);
            if (e == null || e.size == UNKNOWN) {
                return;
            }
            if (e.id == TIMECODE_SCALE) {
                timecodeScale = Math.max(1, uint(e));
            } else if (e.id == DURATION) {
                ByteBuffer b = in.at(e.dataPos(), (int) e.size);
                infoDuration = e.size == 4 ? b.getFloat(0) : e.size == 8 ? b.getDouble(0) : -1;
            } else if (e.id == DATE_UTC && e.size == 8) {
                long ns = in.at(e.dataPos(), 8).getLong(0);
                Instant t = Instant.ofEpochSecond(MKV_EPOCH_SECONDS).plusNanos(ns);
                if (t.isAfter(Instant.parse("2000-01-01T00:00:00Z")) && t.isBefore(Instant.parse("2100-01-01T00:00:00Z"))) {
                    created = Optional.of(t);
                }
            }
            p = e.end();
        }
    }

    private void tracks(Element tracks) throws IOException {
        for (long p = tracks.dataPos(); p < tracks.end();) {
            Element entry = elementAt(p);
            if (entry == null || entry.size == UNKNOWN) {
                return;
            }
            if (entry.id == TRACK_ENTRY) {
                long number = -1;
                long type = -1;
                String codec = "";
                long dd = 0;
                String fourcc = "";
                for (long q = entry.dataPos(); q < entry.end();) {
                    Element e = elementAt(q);
                    if (e == null || e.size == UNKNOWN) {
                        break;
                    }
                    switch (e.id) {
                        case TRACK_NUMBER -> number = uint(e);
                        case TRACK_TYPE -> type = uint(e);
                        case CODEC_ID -> codec = string(e);
                        case DEFAULT_DURATION -> dd = uint(e);
                        case CODEC_PRIVATE -> fourcc = bitmapCompression(e);
                        default -> {
                        }
                    }
                    q = e.end();
                }
                if (type == 1 && videoTrack < 0) {
                    videoTrack = number;
                    // VFW-style tracks carry a BITMAPINFOHEADER whose compression says the codec (MJPG for jpegenc)
                    codecId = codec.equals("V_MS/VFW/FOURCC") ? switch (fourcc) {
                        case "MJPG", "mjpg", "AVDJ", "JPEG" -> "V_MJPEG";
                        case "H264", "h264", "avc1", "X264" -> "V_MPEG4/ISO/AVC";
                        default -> codec + " " + fourcc;
                    } : codec;
                    defaultDurationNs = dd;
                }
            }
            p = entry.end();
        }
    }

    private String bitmapCompression(Element e) throws IOException {
        if (e.size < 20 || e.size > MAX_HEADER_ELEMENT) {
            return "";
        }
        ByteBuffer b = in.at(e.dataPos() + 16, 4);
        byte[] c = new byte[4];
        b.get(c);
        return new String(c, StandardCharsets.ISO_8859_1);
    }

    private long uint(Element e) throws IOException {
        if (e.size == 0 || e.size > 8) {
            return 0;
        }
        ByteBuffer b = in.at(e.dataPos(), (int) e.size);
        long v = 0;
        for (int i = 0; i < e.size; i++) {
            v = (v << 8) | (b.get(i) & 0xFF);
        }
        return v;
    }

    private String string(Element e) throws IOException {
        if (e.size <= 0 || e.size > 256) {
            return "";
        }
        ByteBuffer b = in.at(e.dataPos(), (int) e.size);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
