package org.vigil.playback.internal.media;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vigil.api.camera.Codec;

/**
 * Lists the video samples of an MP4 file (ISO BMFF), plain (sample tables in {@code moov}) or fragmented
 * ({@code moof} + {@code mdat} pairs, as the recorder writes), from the box structure alone. Only complete samples are
 * listed: a file cut short by a crash yields what was written before the cut.
 * <p>
 * Playback reads the samples itself rather than through {@code qtdemux} because segments cut by {@code splitmuxsink}
 * (and, by the same mechanism, by a muxer linked into a running pipeline) carry a random-access index
 * ({@code mfra/tfra}) in running time while their fragments start at zero; {@code qtdemux} (1.22) trusts that index
 * and then seeks to the wrong place (measured: every accurate seek in such a segment lands on its first frame or on
 * nothing). The index is ignored here.
 */
final class Mp4Reader {
    private static final long MAX_MOOV = 64L << 20;
    private static final long MAX_MOOF = 16L << 20;

    private final FileChannel in;
    private final long fileSize;
    private final SampleTable table = new SampleTable();

    private int trackId = -1;
    private long timescale;
    private TrackInfo track;
    private long trexDuration;
    private int trexSize;
    private int trexFlags;
    /** decode time (track ticks) where the next fragment continues when it has no tfdt */
    private long nextDts;
    private boolean cut;
    private String cutReason = "";

    private Mp4Reader(FileChannel in, long fileSize) {
        this.in = in;
        this.fileSize = fileSize;
    }

    static Indexed read(FileChannel in, long fileSize) throws IOException {
        return new Mp4Reader(in, fileSize).run();
    }

    private record Box(String type, long pos, long size, int header) {
        long end() {
            return pos + size;
        }

        long body() {
            return pos + header;
        }

        int bodySize() {
            return (int) (size - header);
        }
    }

    private Box boxAt(long pos) throws IOException {
        if (fileSize - pos < 8) {
            return null;
        }
        ByteBuffer b = readAt(pos, (int) Math.min(16, fileSize - pos));
        long size = b.getInt(0) & 0xFFFFFFFFL;
        String type = fourcc(b, 4);
        int header = 8;
        if (size == 1) {
            if (b.limit() < 16) {
                return null;
            }
            size = b.getLong(8);
            header = 16;
        } else if (size == 0) {
            size = fileSize - pos;
        }
        if (size < header) {
            throw new DamagedRecordingException("a box of impossible size " + size + " at byte " + pos);
        }
        return new Box(type, pos, size, header);
    }

    private Indexed run() throws IOException {
        Box first = boxAt(0);
        if (first == null || !(first.type.equals("ftyp") || first.type.equals("styp") || first.type.equals("moov"))) {
            throw new DamagedRecordingException("it is not an MP4 file (it does not start with an ftyp box)");
        }
        boolean moovSeen = false;
        long pos = 0;
        while (pos < fileSize) {
            Box box = boxAt(pos);
            if (box == null) {
                break;
            }
            if (box.end() > fileSize) {
                if (!box.type.equals("mdat")) {
                    markCut("the file is cut off inside its " + box.type + " box");
                } else if (!moovSeen) {
                    markCut("the file is cut off before its index");
                } else {
                    // a plain file's mdat (or a fragment's) cut: samples past the end are dropped below
                    markCut("the file is cut off inside its media data");
                }
                if (!box.type.equals("mdat")) {
                    break;
                }
                pos = fileSize;
                continue;
            }
            switch (box.type) {
                case "moov" -> {
                    if (box.size > MAX_MOOV) {
                        throw new DamagedRecordingException("its movie header is implausibly large");
                    }
                    parseMoov(readAt(box.body(), box.bodySize()));
                    moovSeen = true;
                }
                case "moof" -> {
                    if (!moovSeen) {
                        throw new DamagedRecordingException("a fragment comes before the movie header");
                    }
                    if (box.size > MAX_MOOF) {
                        throw new DamagedRecordingException("a fragment header is implausibly large");
                    }
                    parseMoof(readAt(box.body(), box.bodySize()), box.pos);
                }
                default -> {
                    // mdat, mfra, free, skip, sidx, udta ...: nothing to index (mfra is ignored on purpose)
                }
            }
            pos = box.end();
        }
        if (!moovSeen || track == null) {
            throw new DamagedRecordingException(cut ? "the file is cut off before its index (moov box): the"
                    + " recording was never finalised" : !moovSeen ? "it has no movie header (moov box)"
                    : "it has no video track Vigil can play");
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

    // ------------------------------------------------------------------ moov

    private void parseMoov(ByteBuffer moov) throws IOException {
        List<ByteBuffer> traks = children(moov, "trak");
        for (ByteBuffer trak : traks) {
            if (track == null) {
                parseTrak(trak);
            }
        }
        ByteBuffer mvex = child(moov, "mvex");
        if (mvex != null && trackId >= 0) {
            for (ByteBuffer trex : children(mvex, "trex")) {
                if (trex.remaining() >= 24 && trex.getInt(trex.position() + 4) == trackId) {
                    int p = trex.position();
                    trexDuration = trex.getInt(p + 12) & 0xFFFFFFFFL;
                    trexSize = trex.getInt(p + 16);
                    trexFlags = trex.getInt(p + 20);
                }
            }
        }
    }

    private void parseTrak(ByteBuffer trak) throws IOException {
        ByteBuffer mdia = child(trak, "mdia");
        ByteBuffer tkhd = child(trak, "tkhd");
        if (mdia == null || tkhd == null) {
            return;
        }
        ByteBuffer hdlr = child(mdia, "hdlr");
        if (hdlr == null || hdlr.remaining() < 12 || !fourcc(hdlr, hdlr.position() + 8).equals("vide")) {
            return;
        }
        ByteBuffer mdhd = child(mdia, "mdhd");
        ByteBuffer stbl = path(mdia, "minf", "stbl");
        if (mdhd == null || stbl == null) {
            return;
        }
        ByteBuffer stsd = child(stbl, "stsd");
        TrackInfo info = stsd == null ? null : sampleEntry(stsd);
        if (info == null) {
            return;
        }
        int version = tkhd.get(tkhd.position()) & 0xFF;
        int id = tkhd.getInt(tkhd.position() + (version == 1 ? 20 : 12));
        int mv = mdhd.get(mdhd.position()) & 0xFF;
        long ts = mdhd.getInt(mdhd.position() + (mv == 1 ? 20 : 12)) & 0xFFFFFFFFL;
        if (ts == 0) {
            throw new DamagedRecordingException("its video track has no time scale");
        }
        trackId = id;
        timescale = ts;
        track = info;
        parseSampleTables(stbl);
    }

    /** The first sample entry of {@code stsd} that Vigil can decode. */
    private static TrackInfo sampleEntry(ByteBuffer stsd) {
        int p = stsd.position() + 8; // version/flags, entry_count
        int end = stsd.limit();
        while (p + 8 <= end) {
            long size = stsd.getInt(p) & 0xFFFFFFFFL;
            String type = fourcc(stsd, p + 4);
            if (size < 8 || p + size > end) {
                return null;
            }
            Codec codec = switch (type) {
                case "avc1", "avc3" -> Codec.H264;
                case "hvc1", "hev1" -> Codec.H265;
                case "jpeg", "mjpa" -> Codec.MJPEG;
                default -> null;
            };
            if (codec != null && size >= 8 + 78) {
                int width = stsd.getShort(p + 8 + 24) & 0xFFFF;
                int height = stsd.getShort(p + 8 + 26) & 0xFFFF;
                byte[] config = null;
                String configType = codec == Codec.H264 ? "avcC" : codec == Codec.H265 ? "hvcC" : null;
                int q = p + 8 + 78;
                while (configType != null && q + 8 <= p + size) {
                    long s = stsd.getInt(q) & 0xFFFFFFFFL;
                    if (s < 8 || q + s > p + size) {
                        break;
                    }
                    if (fourcc(stsd, q + 4).equals(configType)) {
                        config = new byte[(int) s - 8];
                        stsd.get(q + 8, config);
                        break;
                    }
                    q += (int) s;
                }
                if (configType != null && config == null && !type.equals("avc3") && !type.equals("hev1")) {
                    return null; // out-of-band parameters are required and missing
                }
                return new TrackInfo(codec, type, config, width, height);
            }
            p += (int) size;
        }
        return null;
    }

    private void parseSampleTables(ByteBuffer stbl) throws IOException {
        ByteBuffer stsz = child(stbl, "stsz");
        ByteBuffer stts = child(stbl, "stts");
        ByteBuffer stsc = child(stbl, "stsc");
        ByteBuffer stco = child(stbl, "stco");
        ByteBuffer co64 = child(stbl, "co64");
        if (stsz == null || stts == null || stsc == null || (stco == null && co64 == null)) {
            return; // a fragmented file: samples come with the fragments
        }
        int zp = stsz.position();
        int fixedSize = stsz.getInt(zp + 4);
        int n = stsz.getInt(zp + 8);
        if (n <= 0) {
            return;
        }
        if (n > 50_000_000 || (fixedSize == 0 && stsz.remaining() < 12 + 4L * n)) {
            throw new DamagedRecordingException("its sample size table is damaged");
        }
        // chunk offsets
        boolean wide = co64 != null;
        ByteBuffer co = wide ? co64 : stco;
        int chunks = co.getInt(co.position() + 4);
        if (chunks < 0 || co.remaining() < 8 + (long) chunks * (wide ? 8 : 4)) {
            throw new DamagedRecordingException("its chunk offset table is damaged");
        }
        // sample-to-chunk runs
        int scp = stsc.position();
        int runs = stsc.getInt(scp + 4);
        if (runs <= 0 || stsc.remaining() < 8 + 12L * runs) {
            throw new DamagedRecordingException("its sample-to-chunk table is damaged");
        }
        // decoding deltas
        int tp = stts.position();
        int deltas = stts.getInt(tp + 4);
        if (deltas < 0 || stts.remaining() < 8 + 8L * deltas) {
            throw new DamagedRecordingException("its time-to-sample table is damaged");
        }
        ByteBuffer ctts = child(stbl, "ctts");
        int cttsRuns = ctts == null ? 0 : ctts.getInt(ctts.position() + 4);
        if (ctts != null && (cttsRuns < 0 || ctts.remaining() < 8 + 8L * cttsRuns)) {
            ctts = null;
        }
        ByteBuffer stss = child(stbl, "stss");
        int syncCount = stss == null ? 0 : stss.getInt(stss.position() + 4);
        if (stss != null && (syncCount < 0 || stss.remaining() < 8 + 4L * syncCount)) {
            throw new DamagedRecordingException("its keyframe table is damaged");
        }

        int sample = 0;
        int deltaRun = 0;
        int deltaLeft = deltas > 0 ? stts.getInt(tp + 8) : 0;
        long delta = deltas > 0 ? stts.getInt(tp + 12) & 0xFFFFFFFFL : 0;
        int cttsRun = 0;
        int cttsLeft = ctts == null || cttsRuns == 0 ? 0 : ctts.getInt(ctts.position() + 8);
        int syncIdx = 0;
        long dts = 0;
        for (int r = 0; r < runs && sample < n; r++) {
            int firstChunk = stsc.getInt(scp + 8 + 12 * r);
            int perChunk = stsc.getInt(scp + 8 + 12 * r + 4);
            int lastChunk = r + 1 < runs ? stsc.getInt(scp + 8 + 12 * (r + 1)) - 1 : chunks;
            for (int c = firstChunk; c <= lastChunk && c <= chunks && sample < n; c++) {
                long off = wide ? co.getLong(co.position() + 8 + 8 * (c - 1))
                        : co.getInt(co.position() + 8 + 4 * (c - 1)) & 0xFFFFFFFFL;
                for (int k = 0; k < perChunk && sample < n; k++) {
                    int sz = fixedSize != 0 ? fixedSize : stsz.getInt(zp + 12 + 4 * sample);
                    while (deltaLeft == 0 && ++deltaRun < deltas) {
                        deltaLeft = stts.getInt(tp + 8 + 8 * deltaRun);
                        delta = stts.getInt(tp + 12 + 8 * deltaRun) & 0xFFFFFFFFL;
                    }
                    long cto = 0;
                    if (ctts != null) {
                        while (cttsLeft == 0 && ++cttsRun < cttsRuns) {
                            cttsLeft = ctts.getInt(ctts.position() + 8 + 8 * cttsRun);
                        }
                        if (cttsRun < cttsRuns) {
                            cto = ctts.getInt(ctts.position() + 12 + 8 * cttsRun);
                            cttsLeft--;
                        }
                    }
                    boolean key;
                    if (stss == null) {
                        key = true;
                    } else {
                        key = syncIdx < syncCount && stss.getInt(stss.position() + 8 + 4 * syncIdx) == sample + 1;
                        if (key) {
                            syncIdx++;
                        }
                    }
                    if (off + sz > fileSize || sz <= 0) {
                        markCut("the file is cut off inside its media data");
                        return;
                    }
                    table.add(off, sz, ns(dts + cto), ns(dts), ns(delta), key);
                    off += sz;
                    dts += delta;
                    if (deltaLeft > 0) {
                        deltaLeft--;
                    }
                    sample++;
                }
            }
        }
    }

    // ------------------------------------------------------------------ fragments

    private void parseMoof(ByteBuffer moof, long moofPos) throws IOException {
        for (ByteBuffer traf : children(moof, "traf")) {
            ByteBuffer tfhd = child(traf, "tfhd");
            if (tfhd == null || tfhd.remaining() < 8) {
                continue;
            }
            int p = tfhd.position();
            int flags = tfhd.getInt(p) & 0xFFFFFF;
            if (tfhd.getInt(p + 4) != trackId) {
                continue;
            }
            int q = p + 8;
            long base = moofPos;
            if ((flags & 0x1) != 0) {
                base = tfhd.getLong(q);
                q += 8;
            }
            if ((flags & 0x2) != 0) {
                q += 4;
            }
            long defDuration = trexDuration;
            int defSize = trexSize;
            int defFlags = trexFlags;
            if ((flags & 0x8) != 0) {
                defDuration = tfhd.getInt(q) & 0xFFFFFFFFL;
                q += 4;
            }
            if ((flags & 0x10) != 0) {
                defSize = tfhd.getInt(q);
                q += 4;
            }
            if ((flags & 0x20) != 0) {
                defFlags = tfhd.getInt(q);
            }
            ByteBuffer tfdt = child(traf, "tfdt");
            if (tfdt != null && tfdt.remaining() >= 8) {
                int v = tfdt.get(tfdt.position()) & 0xFF;
                nextDts = v == 1 ? tfdt.getLong(tfdt.position() + 4) : tfdt.getInt(tfdt.position() + 4) & 0xFFFFFFFFL;
            }
            long dataPos = base;
            for (ByteBuffer trun : children(traf, "trun")) {
                dataPos = parseTrun(trun, base, dataPos, defDuration, defSize, defFlags);
                if (cut) {
                    return;
                }
            }
        }
    }

    private long parseTrun(ByteBuffer trun, long base, long dataPos, long defDuration, int defSize, int defFlags)
            throws IOException {
        int p = trun.position();
        int version = trun.get(p) & 0xFF;
        int flags = trun.getInt(p) & 0xFFFFFF;
        int count = trun.getInt(p + 4);
        int q = p + 8;
        if ((flags & 0x1) != 0) {
            dataPos = base + trun.getInt(q);
            q += 4;
        }
        int firstFlags = defFlags;
        boolean hasFirst = (flags & 0x4) != 0;
        if (hasFirst) {
            firstFlags = trun.getInt(q);
            q += 4;
        }
        int per = ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0) + ((flags & 0x400) != 0 ? 4 : 0)
                + ((flags & 0x800) != 0 ? 4 : 0);
        if (count < 0 || q + (long) per * count > trun.limit()) {
            throw new DamagedRecordingException("a fragment's sample table is damaged");
        }
        for (int i = 0; i < count; i++) {
            long duration = defDuration;
            int size = defSize;
            int sflags = i == 0 && hasFirst ? firstFlags : defFlags;
            long cto = 0;
            if ((flags & 0x100) != 0) {
                duration = trun.getInt(q) & 0xFFFFFFFFL;
                q += 4;
            }
            if ((flags & 0x200) != 0) {
                size = trun.getInt(q);
                q += 4;
            }
            if ((flags & 0x400) != 0) {
                int f = trun.getInt(q);
                q += 4;
                if (!(i == 0 && hasFirst)) {
                    sflags = f;
                }
            }
            if ((flags & 0x800) != 0) {
                int c = trun.getInt(q);
                q += 4;
                cto = version == 0 ? c & 0xFFFFFFFFL : c;
            }
            if (size <= 0 || dataPos + size > fileSize) {
                markCut("the file is cut off inside a fragment");
                return dataPos;
            }
            boolean nonSync = ((sflags >> 16) & 1) != 0;
            table.add(dataPos, size, ns(nextDts + cto), ns(nextDts), ns(duration), !nonSync);
            dataPos += size;
            nextDts += duration;
        }
        return dataPos;
    }

    // ------------------------------------------------------------------ helpers

    private long ns(long ticks) {
        return ticks / timescale * 1_000_000_000L + ticks % timescale * 1_000_000_000L / timescale;
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

    private static String fourcc(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        b.get(at, t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    /** The boxes of type {@code type} directly inside {@code parent} (whose position is at its first child). */
    private static List<ByteBuffer> children(ByteBuffer parent, String type) {
        List<ByteBuffer> out = new ArrayList<>();
        int p = parent.position();
        int end = parent.limit();
        while (p + 8 <= end) {
            long size = parent.getInt(p) & 0xFFFFFFFFL;
            int header = 8;
            if (size == 1 && p + 16 <= end) {
                size = parent.getLong(p + 8);
                header = 16;
            } else if (size == 0) {
                size = end - p;
            }
            if (size < header || p + size > end) {
                break;
            }
            if (fourcc(parent, p + 4).equals(type)) {
                out.add(parent.duplicate().limit((int) (p + size)).position(p + header));
            }
            p += (int) size;
        }
        return out;
    }

    private static ByteBuffer child(ByteBuffer parent, String type) {
        List<ByteBuffer> c = children(parent, type);
        return c.isEmpty() ? null : c.get(0);
    }

    private static ByteBuffer path(ByteBuffer parent, String... types) {
        ByteBuffer b = parent;
        for (String t : types) {
            b = child(b, t);
            if (b == null) {
                return null;
            }
        }
        return b;
    }
}
