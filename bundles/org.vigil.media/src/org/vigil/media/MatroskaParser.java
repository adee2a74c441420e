package org.vigil.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * The EBML structure of a Matroska/WebM file (how the recorder stores MJPEG): the first video track of
 * {@code Tracks} Vigil can decode, then every {@code SimpleBlock} or {@code Block} of that track in the clusters
 * (block headers only). Elements of unknown size (a file whose muxer never finished) are read up to the next
 * top-level element or the end of the file; a file cut by a crash is playable up to its last complete block.
 */
final class MatroskaParser extends ContainerParser {
    private static final long EBML = MediaParser.EBML_MAGIC;
    private static final long DOC_TYPE = 0x4282L;
    private static final long SEGMENT = 0x18538067L;
    private static final long INFO = 0x1549A966L;
    private static final long TIMECODE_SCALE = 0x2AD7B1L;
    private static final long DURATION = 0x4489L;
    private static final long DATE_UTC = 0x4461L;
    private static final long TRACKS = 0x1654AE6BL;
    private static final long TRACK_ENTRY = 0xAEL;
    private static final long TRACK_NUMBER = 0xD7L;
    private static final long TRACK_TYPE = 0x83L;
    private static final long CODEC_ID = 0x86L;
    private static final long CODEC_PRIVATE = 0x63A2L;
    private static final long DEFAULT_DURATION = 0x23E383L;
    private static final long VIDEO = 0xE0L;
    private static final long PIXEL_WIDTH = 0xB0L;
    private static final long PIXEL_HEIGHT = 0xBAL;
    private static final long CLUSTER = 0x1F43B675L;
    private static final long CUES = 0x1C53BB6BL;
    private static final long CLUSTER_TIMECODE = 0xE7L;
    private static final long SIMPLE_BLOCK = 0xA3L;
    private static final long BLOCK_GROUP = 0xA0L;
    private static final long BLOCK = 0xA1L;
    private static final long REFERENCE_BLOCK = 0xFBL;
    private static final long UNKNOWN = -1;
    /** 2001-01-01T00:00:00Z, the origin of DateUTC. */
    private static final long MKV_EPOCH_SECONDS = 978_307_200L;

    private final ChannelReader in;
    private final long fileSize;
    private final Samples table;
    private long timecodeScale = 1_000_000;
    private double infoDuration = -1;
    private Optional<Instant> created = Optional.empty();
    private boolean tracksSeen;
    private long trackNumber = -1;
    private long defaultDuration;
    private VideoTrack track;
    /** the codec of the first video track, when Vigil cannot decode it (for the sentence) */
    private String otherVideoCodec;
    private boolean cues;
    private String cutNote;
    private long pendingOffset = -1;
    private int pendingSize;
    private long pendingPts;
    private boolean pendingKey;
    private long lastDelta;

    MatroskaParser(ChannelReader in, Samples table) {
        this.in = in;
        this.table = table;
        this.fileSize = in.size();
    }

    @Override
    Container container() {
        return Container.MATROSKA;
    }

    private record Element(long id, long pos, int header, long size) {
        long body() {
            return pos + header;
        }

        long end(long limit) {
            return size == UNKNOWN ? limit : body() + size;
        }
    }

    @Override
    MediaIndex run() throws IOException {
        Element ebml = element(0);
        if (ebml == null || ebml.id != EBML || ebml.size == UNKNOWN || ebml.end(fileSize) > fileSize) {
            throw damaged("it is not a Matroska file (no EBML header)");
        }
        String docType = "matroska";
        for (long p = ebml.body(); p < ebml.end(fileSize);) {
            Element e = element(p);
            if (e == null || e.size == UNKNOWN) {
                break;
            }
            if (e.id == DOC_TYPE) {
                docType = string(e);
            }
            p = e.end(fileSize);
        }
        if (!docType.equals("matroska") && !docType.equals("webm")) {
            throw damaged("its document type '" + docType + "' is not Matroska");
        }
        long pos = ebml.end(fileSize);
        Element segment = null;
        while (pos < fileSize) {
            Element e = element(pos);
            if (e == null) {
                break;
            }
            if (e.id == SEGMENT) {
                segment = e;
                break;
            }
            pos = e.end(fileSize);
        }
        if (segment == null) {
            throw damaged("it has no Matroska segment");
        }
        long end = Math.min(fileSize, segment.end(fileSize));
        pos = segment.body();
        while (pos < end) {
            Element e = element(pos);
            if (e == null) {
                cut("the file is cut off at byte " + fileSize + ": no complete element follows byte " + pos);
                break;
            }
            long eEnd = e.end(end);
            if (e.size != UNKNOWN && eEnd > fileSize) {
                cut("the file is cut off at byte " + fileSize + " inside " + name(e.id) + " at byte " + e.pos);
                if (e.id == CLUSTER && track != null) {
                    cluster(e, fileSize);
                }
                break;
            }
            if (e.id == INFO || e.id == TRACKS) {
                if (e.size == UNKNOWN) {
                    throw damaged("its " + name(e.id) + " at byte " + e.pos + " is damaged: it has no size");
                }
                if (e.size > MediaParser.MAX_MATROSKA_HEADER) {
                    throw damaged(MediaParser.tooLarge(name(e.id), e.pos, e.size, MediaParser.MAX_MATROSKA_HEADER));
                }
                at("its " + name(e.id) + " at byte " + e.pos);
                ByteBuffer body = e.size == 0 ? ByteBuffer.allocate(0) : copy(in.at(e.body(), (int) e.size));
                if (e.id == INFO) {
                    info(body);
                } else {
                    tracksSeen = true;
                    tracks(body);
                }
            } else if (e.id == CUES) {
                cues = true;
            } else if (e.id == CLUSTER) {
                if (!tracksSeen) {
                    throw damaged("its frames (a cluster at byte " + e.pos + ") come before its track list");
                }
                at("its cluster at byte " + e.pos);
                eEnd = cluster(e, end);
            }
            pos = eEnd;
        }
        if (segment.size != UNKNOWN && segment.end(fileSize) > fileSize) {
            // every element read was complete, yet the segment says it goes on
            cut("the file is cut off at byte " + fileSize + " inside its Matroska segment (which ends at byte "
                    + segment.end(fileSize) + ")");
        }
        flushPending(defaultDuration > 0 ? defaultDuration : lastDelta);
        if (track == null) {
            throw damaged(otherVideoCodec != null ? "its video codec '" + otherVideoCodec + "' is not one Vigil plays"
                    : "it has no video track");
        }
        if (table.isEmpty()) {
            throw damaged("it holds no complete video frame" + (cutNote != null ? ": " + cutNote : ""));
        }
        table.normalise();
        Duration d;
        if (infoDuration > 0 && cutNote == null) {
            d = Duration.ofNanos((long) (infoDuration * timecodeScale));
        } else {
            long last = table.lastPts();
            int n = table.count();
            long frameNs = defaultDuration > 0 ? defaultDuration : n > 1 ? last / (n - 1) : 0;
            d = Duration.ofNanos(last + frameNs);
        }
        return new MediaIndex(Container.MATROSKA, track, table, d, false, cues && cutNote == null,
                Optional.ofNullable(cutNote), created);
    }

    private void cut(String note) {
        if (cutNote == null) {
            cutNote = note;
        }
    }

    private static String name(long id) {
        if (id == CLUSTER) {
            return "a cluster";
        }
        if (id == INFO) {
            return "segment information (Info element)";
        }
        if (id == TRACKS) {
            return "track list (Tracks element)";
        }
        if (id == CUES) {
            return "its index (Cues element)";
        }
        return "an element (ID 0x" + Long.toHexString(id).toUpperCase(java.util.Locale.ROOT) + ")";
    }

    private void info(ByteBuffer b) {
        int p = b.position();
        while (p < b.limit()) {
            long[] id = vint(b, p, true);
            long[] size = id == null ? null : vint(b, p + (int) id[1], false);
            if (size == null || size[0] == UNKNOWN) {
                return;
            }
            int body = p + (int) id[1] + (int) size[1];
            int n = (int) Math.min(size[0], b.limit() - body);
            if (id[0] == TIMECODE_SCALE && n > 0 && n <= 8) {
                timecodeScale = Math.max(1, uint(b, body, n));
            } else if (id[0] == DURATION) {
                infoDuration = n == 4 ? b.getFloat(body) : n == 8 ? b.getDouble(body) : -1;
            } else if (id[0] == DATE_UTC && n == 8) {
                Instant t = Instant.ofEpochSecond(MKV_EPOCH_SECONDS).plusNanos(b.getLong(body));
                if (t.isAfter(Instant.parse("2000-01-01T00:00:00Z"))
                        && t.isBefore(Instant.parse("2100-01-01T00:00:00Z"))) {
                    created = Optional.of(t);
                }
            }
            p = body + n;
        }
    }

    private void tracks(ByteBuffer b) {
        int p = b.position();
        while (p < b.limit() && track == null) {
            long[] id = vint(b, p, true);
            long[] size = id == null ? null : vint(b, p + (int) id[1], false);
            if (size == null || size[0] == UNKNOWN) {
                return;
            }
            int body = p + (int) id[1] + (int) size[1];
            int end = (int) Math.min(b.limit(), body + size[0]);
            if (id[0] == TRACK_ENTRY) {
                entry(b, body, end);
            }
            p = end;
        }
    }

    private void entry(ByteBuffer b, int p, int end) {
        long number = -1;
        long type = -1;
        String codecId = "";
        byte[] privateData = null;
        int width = 0;
        int height = 0;
        long duration = 0;
        while (p < end) {
            long[] id = vint(b, p, true);
            long[] size = id == null ? null : vint(b, p + (int) id[1], false);
            if (size == null || size[0] == UNKNOWN) {
                return;
            }
            int body = p + (int) id[1] + (int) size[1];
            int n = (int) Math.min(size[0], end - body);
            if (id[0] == TRACK_NUMBER) {
                number = uint(b, body, n);
            } else if (id[0] == TRACK_TYPE) {
                type = uint(b, body, n);
            } else if (id[0] == CODEC_ID) {
                byte[] s = new byte[n];
                b.get(body, s);
                codecId = new String(s, StandardCharsets.US_ASCII).trim().replace("\0", "");
            } else if (id[0] == CODEC_PRIVATE) {
                privateData = new byte[n];
                b.get(body, privateData);
            } else if (id[0] == DEFAULT_DURATION) {
                duration = uint(b, body, n);
            } else if (id[0] == VIDEO) {
                int q = body;
                while (q < body + n) {
                    long[] vid = vint(b, q, true);
                    long[] vsize = vid == null ? null : vint(b, q + (int) vid[1], false);
                    if (vsize == null || vsize[0] == UNKNOWN) {
                        break;
                    }
                    int vbody = q + (int) vid[1] + (int) vsize[1];
                    if (vid[0] == PIXEL_WIDTH) {
                        width = (int) uint(b, vbody, (int) vsize[0]);
                    } else if (vid[0] == PIXEL_HEIGHT) {
                        height = (int) uint(b, vbody, (int) vsize[0]);
                    }
                    q = vbody + (int) vsize[0];
                }
            }
            p = body + n;
        }
        if (type != 1) {
            return;
        }
        // matroskamux stores MJPEG the Video-for-Windows way: a BITMAPINFOHEADER whose compression names the codec
        String fourcc = codecId.equals("V_MS/VFW/FOURCC") && privateData != null && privateData.length >= 20
                ? new String(privateData, 16, 4, StandardCharsets.ISO_8859_1) : "";
        Codec codec = switch (codecId) {
            case "V_MJPEG" -> Codec.MJPEG;
            case "V_MPEG4/ISO/AVC" -> Codec.H264;
            case "V_MPEGH/ISO/HEVC" -> Codec.H265;
            case "V_MS/VFW/FOURCC" -> switch (fourcc) {
                case "MJPG", "mjpg", "AVDJ", "JPEG" -> Codec.MJPEG;
                default -> null;
            };
            default -> null;
        };
        // H.264 and H.265 need their decoder configuration (CodecPrivate)
        if (codec != null && number > 0 && (codec == Codec.MJPEG || privateData != null)) {
            trackNumber = number;
            defaultDuration = duration;
            track = new VideoTrack(codec, codec == Codec.H264 ? "avc1" : codec == Codec.H265 ? "hvc1" : codecId,
                    codec == Codec.MJPEG ? null : privateData, width, height);
        } else if (otherVideoCodec == null) {
            otherVideoCodec = fourcc.isEmpty() ? codecId : codecId + " " + fourcc;
        }
    }

    /** Indexes the blocks of a cluster; returns where the cluster ends. */
    private long cluster(Element c, long limit) throws IOException {
        long clusterTime = 0;
        long pos = c.body();
        long end = Math.min(c.end(limit), fileSize);
        while (pos < end) {
            Element e = element(pos);
            if (e == null) {
                cut("the file is cut off at byte " + fileSize + " inside a cluster at byte " + c.pos);
                return fileSize;
            }
            if (c.size == UNKNOWN && (e.id == CLUSTER || e.id == TRACKS || e.id == INFO || e.id > 0xFFFFFF)) {
                return pos; // the next top-level element ends a cluster of unknown size
            }
            long eEnd = e.end(end);
            if (eEnd > fileSize) {
                cut("the file is cut off at byte " + fileSize + " inside a cluster at byte " + c.pos);
                return fileSize;
            }
            if (e.id == CLUSTER_TIMECODE && e.size > 0 && e.size <= 8) {
                clusterTime = uint(in.at(e.body(), (int) e.size), 0, (int) e.size);
            } else if (e.id == SIMPLE_BLOCK) {
                block(e.body(), e.size, clusterTime, null);
            } else if (e.id == BLOCK_GROUP && e.size != UNKNOWN && e.size < MediaParser.MAX_MATROSKA_HEADER) {
                long p = e.body();
                long blockPos = -1;
                long blockSize = 0;
                boolean referenced = false;
                while (p < eEnd) {
                    Element g = element(p);
                    if (g == null || g.size == UNKNOWN) {
                        break;
                    }
                    if (g.id == BLOCK) {
                        blockPos = g.body();
                        blockSize = g.size;
                    } else if (g.id == REFERENCE_BLOCK) {
                        referenced = true;
                    }
                    p = g.end(eEnd);
                }
                if (blockPos >= 0) {
                    block(blockPos, blockSize, clusterTime, !referenced);
                }
            }
            pos = eEnd;
        }
        return end;
    }

    private void block(long pos, long size, long clusterTime, Boolean keyOverride) throws IOException {
        if (size < 4 || size > Integer.MAX_VALUE || pos + size > fileSize) {
            return;
        }
        ByteBuffer h = in.at(pos, (int) Math.min(size, 12));
        long[] number = vint(h, 0, false);
        if (number == null || number[0] != trackNumber) {
            return;
        }
        int t = (int) number[1];
        short relative = h.getShort(t);
        int flags = h.get(t + 2) & 0xFF;
        if ((flags & 0x06) != 0) {
            return; // laced frames: not written by Vigil's muxer for video
        }
        int headerLength = t + 3;
        long ptsNs = (clusterTime + relative) * timecodeScale;
        boolean key = keyOverride != null ? keyOverride : (flags & 0x80) != 0;
        flushPending(ptsNs - pendingPts);
        pendingOffset = pos + headerLength;
        pendingSize = (int) (size - headerLength);
        pendingPts = ptsNs;
        pendingKey = key;
    }

    /** Adds the frame held back until the next one told its duration. */
    private void flushPending(long duration) {
        if (pendingOffset < 0) {
            return;
        }
        long d = duration > 0 ? duration : lastDelta > 0 ? lastDelta : 40_000_000L;
        lastDelta = d;
        table.add(pendingOffset, pendingSize, pendingPts, pendingPts, d, pendingKey || track.codec() == Codec.MJPEG);
        pendingOffset = -1;
    }

    // ------------------------------------------------------------------ EBML

    private Element element(long pos) throws IOException {
        if (fileSize - pos < 2) {
            return null;
        }
        ByteBuffer b = in.at(pos, 12);
        long[] id = vint(b, 0, true);
        if (id == null || id[1] > 4) {
            return null;
        }
        long[] size = vint(b, (int) id[1], false);
        if (size == null) {
            return null;
        }
        return new Element(id[0], pos, (int) (id[1] + size[1]), size[0]);
    }

    private String string(Element e) throws IOException {
        if (e.size <= 0 || e.size > 256) {
            return "";
        }
        ByteBuffer b = in.at(e.body(), (int) e.size);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        int n = bytes.length;
        while (n > 0 && bytes[n - 1] == 0) {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    private static ByteBuffer copy(ByteBuffer window) {
        ByteBuffer b = ByteBuffer.allocate(window.remaining());
        b.put(window.duplicate());
        return b.flip();
    }

    /**
     * A variable-length integer at {@code p}: {value, length}. IDs keep their length marker; sizes drop it, and a size
     * of all ones is {@link #UNKNOWN}. Null when the bytes are not a valid integer or run past the buffer.
     */
    private static long[] vint(ByteBuffer b, int p, boolean keepMarker) {
        if (p >= b.limit()) {
            return null;
        }
        int first = b.get(p) & 0xFF;
        if (first == 0) {
            return null;
        }
        int length = Integer.numberOfLeadingZeros(first) - 23;
        if (length > 8 || p + length > b.limit()) {
            return null;
        }
        long value = keepMarker ? first : first & (0xFF >> length);
        boolean allOnes = value == (0xFF >> length);
        for (int i = 1; i < length; i++) {
            int v = b.get(p + i) & 0xFF;
            allOnes &= v == 0xFF;
            value = (value << 8) | v;
        }
        if (!keepMarker && allOnes) {
            value = UNKNOWN;
        }
        return new long[] {value, length};
    }

    private static long uint(ByteBuffer b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n && p + i < b.limit(); i++) {
            v = (v << 8) | (b.get(p + i) & 0xFF);
        }
        return v;
    }
}
