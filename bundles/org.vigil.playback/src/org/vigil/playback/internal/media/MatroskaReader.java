package org.vigil.playback.internal.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.vigil.api.camera.Codec;

/**
 * Lists the video frames of a Matroska file (how the recorder stores MJPEG) from its EBML structure: the first video
 * track of {@code Tracks}, then every {@code SimpleBlock} or {@code Block} of that track in the clusters. Elements of
 * unknown size (a file whose muxer never finished) are read up to the next top-level element or the end of the file.
 */
final class MatroskaReader {
    private static final long EBML = 0x1A45DFA3L;
    private static final long SEGMENT = 0x18538067L;
    private static final long INFO = 0x1549A966L;
    private static final long TIMECODE_SCALE = 0x2AD7B1L;
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
    private static final long CLUSTER_TIMECODE = 0xE7L;
    private static final long SIMPLE_BLOCK = 0xA3L;
    private static final long BLOCK_GROUP = 0xA0L;
    private static final long BLOCK = 0xA1L;
    private static final long REFERENCE_BLOCK = 0xFBL;
    private static final long UNKNOWN = -1;
    private static final long MAX_HEADER_ELEMENT = 16L << 20;

    private final FileChannel in;
    private final long fileSize;
    private final SampleTable table = new SampleTable();
    private long timecodeScale = 1_000_000;
    private long trackNumber = -1;
    private long defaultDuration;
    private TrackInfo track;
    private boolean cut;
    private String cutReason = "";
    private long pendingOffset = -1;
    private int pendingSize;
    private long pendingPts;
    private boolean pendingKey;
    private long lastDelta;

    private MatroskaReader(FileChannel in, long fileSize) {
        this.in = in;
        this.fileSize = fileSize;
    }

    static Indexed read(FileChannel in, long fileSize) throws IOException {
        return new MatroskaReader(in, fileSize).run();
    }

    private record Element(long id, long pos, int header, long size) {
        long body() {
            return pos + header;
        }

        long end(long limit) {
            return size == UNKNOWN ? limit : body() + size;
        }
    }

    private Indexed run() throws IOException {
        Element ebml = element(0);
        if (ebml == null || ebml.id != EBML) {
            throw new DamagedRecordingException("it is not a Matroska file (no EBML header)");
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
            throw new DamagedRecordingException("it has no Matroska segment");
        }
        long end = Math.min(fileSize, segment.end(fileSize));
        pos = segment.body();
        while (pos < end) {
            Element e = element(pos);
            if (e == null) {
                break;
            }
            long eEnd = e.end(end);
            if (e.size != UNKNOWN && eEnd > fileSize) {
                markCut("the file is cut off inside a cluster");
                if (e.id == CLUSTER && track != null) {
                    cluster(e, fileSize);
                }
                break;
            }
            if (e.id == INFO || e.id == TRACKS) {
                if (e.size == UNKNOWN || e.size > MAX_HEADER_ELEMENT) {
                    throw new DamagedRecordingException("its header is damaged");
                }
                ByteBuffer body = readAt(e.body(), (int) e.size);
                if (e.id == INFO) {
                    info(body);
                } else {
                    tracks(body);
                }
            } else if (e.id == CLUSTER) {
                if (track == null) {
                    throw new DamagedRecordingException("its frames come before its track list");
                }
                eEnd = cluster(e, end);
            }
            pos = eEnd;
        }
        flushPending(defaultDuration > 0 ? defaultDuration : lastDelta);
        if (track == null) {
            throw new DamagedRecordingException("it has no video track Vigil can play");
        }
        if (table.isEmpty()) {
            throw new DamagedRecordingException(cut ? "the file is cut off before its first complete frame"
                    : "it holds no video frames");
        }
        table.normalise();
        return new Indexed(track, table, cut ? Optional.of(cutReason) : Optional.empty());
    }

    private void markCut(String reason) {
        if (!cut) {
            cut = true;
            cutReason = reason;
        }
    }

    private void info(ByteBuffer b) {
        int p = b.position();
        while (p < b.limit()) {
            long[] id = vint(b, p, true);
            if (id == null) {
                return;
            }
            long[] size = vint(b, p + (int) id[1], false);
            if (size == null) {
                return;
            }
            int body = p + (int) id[1] + (int) size[1];
            if (id[0] == TIMECODE_SCALE && size[0] > 0 && size[0] <= 8) {
                timecodeScale = uint(b, body, (int) size[0]);
            }
            p = body + (int) size[0];
        }
    }

    private void tracks(ByteBuffer b) {
        int p = b.position();
        while (p < b.limit() && track == null) {
            long[] id = vint(b, p, true);
            long[] size = id == null ? null : vint(b, p + (int) id[1], false);
            if (size == null) {
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
            if (size == null) {
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
                    if (vsize == null) {
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
        Codec codec = switch (codecId) {
            case "V_MJPEG" -> Codec.MJPEG;
            case "V_MPEG4/ISO/AVC" -> Codec.H264;
            case "V_MPEGH/ISO/HEVC" -> Codec.H265;
            // matroskamux stores MJPEG the Video-for-Windows way: a BITMAPINFOHEADER naming the four-character code
            case "V_MS/VFW/FOURCC" -> privateData != null && privateData.length >= 20
                    && new String(privateData, 16, 4, StandardCharsets.US_ASCII).equalsIgnoreCase("MJPG")
                    ? Codec.MJPEG : null;
            default -> null;
        };
        if (type == 1 && codec != null && number > 0 && (codec == Codec.MJPEG || privateData != null)) {
            trackNumber = number;
            defaultDuration = duration;
            track = new TrackInfo(codec, codec == Codec.H264 ? "avc1" : codec == Codec.H265 ? "hvc1" : codecId,
                    codec == Codec.MJPEG ? null : privateData, width, height);
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
                markCut("the file is cut off inside a cluster");
                return fileSize;
            }
            if (c.size == UNKNOWN && (e.id == CLUSTER || e.id == TRACKS || e.id == INFO || e.id > 0xFFFFFF)) {
                return pos; // the next top-level element ends a cluster of unknown size
            }
            long eEnd = e.end(end);
            if (eEnd > fileSize) {
                markCut("the file is cut off inside a cluster");
                return fileSize;
            }
            if (e.id == CLUSTER_TIMECODE && e.size <= 8) {
                clusterTime = uint(readAt(e.body(), (int) e.size), 0, (int) e.size);
            } else if (e.id == SIMPLE_BLOCK) {
                block(e.body(), e.size, clusterTime, null);
            } else if (e.id == BLOCK_GROUP && e.size != UNKNOWN && e.size < MAX_HEADER_ELEMENT) {
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
        if (size < 4 || size > Integer.MAX_VALUE) {
            return;
        }
        ByteBuffer h = readAt(pos, (int) Math.min(size, 12));
        long[] track = vint(h, 0, false);
        if (track == null || track[0] != trackNumber) {
            return;
        }
        int t = (int) track[1];
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
        ByteBuffer b = readAt(pos, (int) Math.min(12, fileSize - pos));
        long[] id = vint(b, 0, true);
        if (id == null) {
            return null;
        }
        long[] size = vint(b, (int) id[1], false);
        if (size == null) {
            return null;
        }
        return new Element(id[0], pos, (int) (id[1] + size[1]), size[0]);
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

    private ByteBuffer readAt(long pos, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size);
        while (b.hasRemaining()) {
            int r = in.read(b, pos + b.position());
            if (r < 0) {
                throw new EOFException("the file ended at byte " + (pos + b.position()));
            }
        }
        return b.flip();
    }
}
