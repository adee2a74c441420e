package org.vigil.storage.internal.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * Reads the box structure of an MP4 (ISO BMFF) file without decoding: the video track of {@code moov}, and for a
 * fragmented file every {@code moof} whose {@code mdat} is complete. A fragmented file cut by a crash is playable up
 * to its last complete fragment; a plain file is playable only with its {@code moov} and a complete {@code mdat}.
 */
final class Mp4Probe {
    private static final long MAX_MOOV = 64L << 20;
    private static final long MAX_MOOF = 4L << 20;
    private static final long SECONDS_1904_TO_1970 = 2_082_844_800L;

    private final ChannelReader in;

    private int videoTrackId = -1;
    private long trackTimescale;
    private long mdhdDuration;
    private long sttsDuration;
    private long sampleCount;
    private long trexDefaultDuration;
    private Codec codec = Codec.AUTO;
    private String sampleEntry = "";
    private Optional<Instant> created = Optional.empty();
    private boolean fragmented;

    private Mp4Probe(ChannelReader in) {
        this.in = in;
    }

    static ProbeResult probe(ChannelReader in) throws IOException {
        return new Mp4Probe(in).run();
    }

    private record Box(String type, long pos, long size, int header) {
        long end() {
            return pos + size;
        }

        long contentPos() {
            return pos + header;
        }

        long contentSize() {
            return size - header;
        }
    }

    /** The box header at {@code pos}, or null when fewer than 8 bytes are left. */
    private Box boxAt(long pos) throws IOException {
        long left = in.size() - pos;
        if (left < 8) {
            return null;
        }
        ByteBuffer b = in.at(pos, 16);
        long size = b.getInt(0) & 0xFFFFFFFFL;
        String type = fourcc(b, 4);
        int header = 8;
        if (size == 1) {
            if (b.remaining() < 16) {
                return new Box(type, pos, Long.MAX_VALUE, 16);
            }
            size = b.getLong(8);
            header = 16;
        } else if (size == 0) {
            size = left;
        }
        if (size < header) {
            throw new IOException("a box of impossible size " + size + " at " + pos);
        }
        return new Box(type, pos, size, header);
    }

    private ProbeResult run() throws IOException {
        Box first = boxAt(0);
        if (first == null || !(first.type.equals("ftyp") || first.type.equals("styp"))) {
            return ProbeResult.unplayable(Container.MP4, "it is not an MP4 file (no ftyp box at the start)");
        }
        boolean moovSeen = false;
        boolean mdatComplete = false;
        boolean truncated = false;
        boolean mfra = false;
        long fragFrames = 0;
        long fragTicks = 0;
        long pos = 0;
        while (pos < in.size()) {
            Box box = boxAt(pos);
            if (box == null) {
                truncated = true;
                break;
            }
            if (box.end() > in.size()) {
                truncated = true;
                break;
            }
            switch (box.type) {
                case "moov" -> {
                    if (box.size > MAX_MOOV) {
                        return ProbeResult.unplayable(Container.MP4, "its moov box is implausibly large");
                    }
                    parseMoov(in.at(box.contentPos(), (int) box.contentSize()));
                    moovSeen = true;
                }
                case "moof" -> {
                    if (!moovSeen || box.size > MAX_MOOF) {
                        return ProbeResult.unplayable(Container.MP4, "a fragment comes before the movie header");
                    }
                    Box mdat = boxAt(box.end());
                    if (mdat == null || !mdat.type.equals("mdat") || mdat.end() > in.size()) {
                        truncated = true;
                        pos = in.size();
                        continue;
                    }
                    long[] frag = parseMoof(in.at(box.contentPos(), (int) box.contentSize()));
                    fragFrames += frag[0];
                    fragTicks += frag[1];
                    pos = mdat.end();
                    continue;
                }
                case "mdat" -> mdatComplete = true;
                case "mfra" -> mfra = true;
                default -> {
                    // free, skip, udta, uuid, sidx ...: nothing to learn
                }
            }
            pos = box.end();
        }
        if (!moovSeen) {
            return ProbeResult.unplayable(Container.MP4, truncated
                    ? "the file is cut off before its index (moov box): the recording was never finalised"
                    : "it has no movie header (moov box)");
        }
        if (videoTrackId < 0) {
            return ProbeResult.unplayable(Container.MP4, "it has no video track");
        }
        if (codec == Codec.AUTO) {
            return ProbeResult.unplayable(Container.MP4, "its video codec '" + sampleEntry + "' is not one Vigil plays");
        }
        if (trackTimescale <= 0) {
            return ProbeResult.unplayable(Container.MP4, "its video track has no time scale");
        }
        long frames;
        long ticks;
        boolean finalized;
        if (fragmented) {
            frames = fragFrames;
            ticks = fragTicks;
            finalized = mfra && !truncated;
        } else {
            frames = sampleCount;
            ticks = mdhdDuration > 0 ? mdhdDuration : sttsDuration;
            finalized = !truncated;
            if (!mdatComplete && frames > 0) {
                return ProbeResult.unplayable(Container.MP4, "its media data (mdat box) is cut off");
            }
        }
        if (frames <= 0) {
            return ProbeResult.unplayable(Container.MP4, "it holds no complete video frame");
        }
        Duration d = Duration.ofNanos((long) (ticks * 1e9 / trackTimescale));
        return new ProbeResult(true, finalized, truncated, Container.MP4, codec, d, frames, created, "");
    }

    private void parseMoov(ByteBuffer moov) {
        for (int p = 0; p + 8 <= moov.limit();) {
            int size = (int) Math.min(moov.getInt(p) & 0xFFFFFFFFL, moov.limit() - p);
            if (size < 8) {
                break;
            }
            String type = fourcc(moov, p + 4);
            ByteBuffer c = slice(moov, p + 8, size - 8);
            switch (type) {
                case "mvhd" -> parseMvhd(c);
                case "trak" -> parseTrak(c);
                case "mvex" -> {
                    fragmented = true;
                    parseMvex(c);
                }
                default -> {
                }
            }
            p += size;
        }
    }

    private void parseMvhd(ByteBuffer c) {
        if (c.limit() < 20) {
            return;
        }
        int version = c.get(0);
        long creation = version == 1 ? c.getLong(4) : c.getInt(4) & 0xFFFFFFFFL;
        long unix = creation - SECONDS_1904_TO_1970;
        if (unix > 946_684_800L && unix < 4_102_444_800L) { // 2000..2100: anything else is not a real time
            created = Optional.of(Instant.ofEpochSecond(unix));
        }
    }

    private void parseTrak(ByteBuffer trak) {
        int trackId = -1;
        String handler = "";
        long timescale = 0;
        long duration = 0;
        ByteBuffer stbl = null;
        for (int p = 0; p + 8 <= trak.limit();) {
            int size = (int) Math.min(trak.getInt(p) & 0xFFFFFFFFL, trak.limit() - p);
            if (size < 8) {
                break;
            }
            String type = fourcc(trak, p + 4);
            ByteBuffer c = slice(trak, p + 8, size - 8);
            if (type.equals("tkhd") && c.limit() >= 24) {
                trackId = c.get(0) == 1 ? c.getInt(20) : c.getInt(12);
            } else if (type.equals("mdia")) {
                for (int q = 0; q + 8 <= c.limit();) {
                    int s2 = (int) Math.min(c.getInt(q) & 0xFFFFFFFFL, c.limit() - q);
                    if (s2 < 8) {
                        break;
                    }
                    String t2 = fourcc(c, q + 4);
                    ByteBuffer c2 = slice(c, q + 8, s2 - 8);
                    if (t2.equals("mdhd") && c2.limit() >= 24) {
                        if (c2.get(0) == 1 && c2.limit() >= 32) {
                            timescale = c2.getInt(20) & 0xFFFFFFFFL;
                            duration = c2.getLong(24);
                        } else {
                            timescale = c2.getInt(12) & 0xFFFFFFFFL;
                            duration = c2.getInt(16) & 0xFFFFFFFFL;
                        }
                    } else if (t2.equals("hdlr") && c2.limit() >= 12) {
                        handler = fourcc(c2, 8);
                    } else if (t2.equals("minf")) {
                        stbl = child(child(c2, "stbl"), null);
                    }
                    q += s2;
                }
            }
            p += size;
        }
        if (!handler.equals("vide") || videoTrackId >= 0) {
            return;
        }
        videoTrackId = trackId;
        trackTimescale = timescale;
        mdhdDuration = duration == 0xFFFFFFFFL ? 0 : duration;
        if (stbl != null) {
            parseStbl(stbl);
        }
    }

    private void parseStbl(ByteBuffer stbl) {
        for (int p = 0; p + 8 <= stbl.limit();) {
            int size = (int) Math.min(stbl.getInt(p) & 0xFFFFFFFFL, stbl.limit() - p);
            if (size < 8) {
                break;
            }
            String type = fourcc(stbl, p + 4);
            ByteBuffer c = slice(stbl, p + 8, size - 8);
            switch (type) {
                case "stsd" -> {
                    if (c.limit() >= 16) {
                        sampleEntry = fourcc(c, 12);
                        codec = switch (sampleEntry) {
                            case "avc1", "avc3" -> Codec.H264;
                            case "hvc1", "hev1" -> Codec.H265;
                            case "jpeg", "mjpa", "mjpb" -> Codec.MJPEG;
                            default -> Codec.AUTO;
                        };
                    }
                }
                case "stts" -> {
                    if (c.limit() >= 8) {
                        long entries = c.getInt(4) & 0xFFFFFFFFL;
                        long count = 0;
                        long ticks = 0;
                        for (int i = 0; i < entries && 8 + i * 8 + 8 <= c.limit(); i++) {
                            long n = c.getInt(8 + i * 8) & 0xFFFFFFFFL;
                            long delta = c.getInt(12 + i * 8) & 0xFFFFFFFFL;
                            count += n;
                            ticks += n * delta;
                        }
                        sttsDuration = ticks;
                        if (sampleCount == 0) {
                            sampleCount = count;
                        }
                    }
                }
                case "stsz" -> {
                    if (c.limit() >= 12) {
                        sampleCount = c.getInt(8) & 0xFFFFFFFFL;
                    }
                }
                default -> {
                }
            }
            p += size;
        }
    }

    private void parseMvex(ByteBuffer mvex) {
        for (int p = 0; p + 8 <= mvex.limit();) {
            int size = (int) Math.min(mvex.getInt(p) & 0xFFFFFFFFL, mvex.limit() - p);
            if (size < 8) {
                break;
            }
            if (fourcc(mvex, p + 4).equals("trex") && size >= 8 + 24) {
                ByteBuffer c = slice(mvex, p + 8, size - 8);
                int track = c.getInt(4);
                if (track == videoTrackId || videoTrackId < 0) {
                    trexDefaultDuration = c.getInt(12) & 0xFFFFFFFFL;
                }
            }
            p += size;
        }
    }

    /** Frames and duration (track ticks) of the video track in one fragment. */
    private long[] parseMoof(ByteBuffer moof) {
        long frames = 0;
        long ticks = 0;
        for (int p = 0; p + 8 <= moof.limit();) {
            int size = (int) Math.min(moof.getInt(p) & 0xFFFFFFFFL, moof.limit() - p);
            if (size < 8) {
                break;
            }
            if (fourcc(moof, p + 4).equals("traf")) {
                long[] t = parseTraf(slice(moof, p + 8, size - 8));
                frames += t[0];
                ticks += t[1];
            }
            p += size;
        }
        return new long[] {frames, ticks};
    }

    private long[] parseTraf(ByteBuffer traf) {
        long defaultDuration = trexDefaultDuration;
        boolean video = true;
        long frames = 0;
        long ticks = 0;
        for (int p = 0; p + 8 <= traf.limit();) {
            int size = (int) Math.min(traf.getInt(p) & 0xFFFFFFFFL, traf.limit() - p);
            if (size < 8) {
                break;
            }
            String type = fourcc(traf, p + 4);
            ByteBuffer c = slice(traf, p + 8, size - 8);
            if (type.equals("tfhd") && c.limit() >= 8) {
                int flags = c.getInt(0) & 0xFFFFFF;
                int track = c.getInt(4);
                video = track == videoTrackId;
                int q = 8;
                if ((flags & 0x01) != 0) {
                    q += 8;
                }
                if ((flags & 0x02) != 0) {
                    q += 4;
                }
                if ((flags & 0x08) != 0 && q + 4 <= c.limit()) {
                    defaultDuration = c.getInt(q) & 0xFFFFFFFFL;
                }
            } else if (type.equals("trun") && video && c.limit() >= 8) {
                int flags = c.getInt(0) & 0xFFFFFF;
                long count = c.getInt(4) & 0xFFFFFFFFL;
                int q = 8;
                if ((flags & 0x01) != 0) {
                    q += 4;
                }
                if ((flags & 0x04) != 0) {
                    q += 4;
                }
                int perSample = Integer.bitCount(flags & 0xF00) * 4;
                if ((flags & 0x100) != 0) {
                    for (long i = 0; i < count && q + 4 <= c.limit(); i++, q += perSample) {
                        ticks += c.getInt(q) & 0xFFFFFFFFL;
                    }
                } else {
                    ticks += count * defaultDuration;
                }
                frames += count;
            }
            p += size;
        }
        return video ? new long[] {frames, ticks} : new long[] {0, 0};
    }

    private static ByteBuffer child(ByteBuffer parent, String type) {
        if (parent == null) {
            return null;
        }
        if (type == null) {
            return parent;
        }
        for (int p = 0; p + 8 <= parent.limit();) {
            int size = (int) Math.min(parent.getInt(p) & 0xFFFFFFFFL, parent.limit() - p);
            if (size < 8) {
                break;
            }
            if (fourcc(parent, p + 4).equals(type)) {
                return slice(parent, p + 8, size - 8);
            }
            p += size;
        }
        return null;
    }

    private static ByteBuffer slice(ByteBuffer b, int pos, int len) {
        int l = Math.max(0, Math.min(len, b.limit() - pos));
        return b.duplicate().position(pos).limit(pos + l).slice();
    }

    private static String fourcc(ByteBuffer b, int pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = pos + i < b.limit() ? b.get(pos + i) & 0xFF : '?';
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }
}
