package org.vigil.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;

/**
 * The box structure of an MP4 file (ISO BMFF), plain (sample tables in {@code moov}) or fragmented ({@code moof} +
 * {@code mdat} pairs, as the recorder writes): the first video track Vigil can decode and its complete samples. A
 * file cut short by a crash yields the samples written before the cut.
 * <p>
 * The random-access index ({@code mfra/tfra}) is only noted (it means the muxer finished), never trusted: segments cut
 * by {@code splitmuxsink} carry it in running time while their fragments start at zero ({@code qtdemux} 1.22 trusts
 * it and seeks to the wrong place, which is why playback reads the samples itself).
 */
final class Mp4Parser extends ContainerParser {
    private static final long SECONDS_1904_TO_1970 = 2_082_844_800L;

    private final ChannelReader in;
    private final long fileSize;
    private final Samples table;

    private int trackId = -1;
    private long timescale;
    /** nanoseconds per tick when the time scale divides a second evenly, else 0 */
    private long nsPerTick;
    private VideoTrack track;
    /** the sample entry of the first video track, when Vigil cannot decode it (for the sentence) */
    private String otherVideoEntry;
    private long mdhdDuration;
    private long trexDuration;
    private int trexSize;
    private int trexFlags;
    /** decode time (track ticks) where the next fragment continues when it has no tfdt */
    private long nextDts;
    /** the durations of the indexed samples added up (track ticks) */
    private long sampleTicks;
    private boolean fragmented;
    private boolean mfra;
    private Optional<Instant> created = Optional.empty();
    private String cutNote;

    Mp4Parser(ChannelReader in, Samples table) {
        this.in = in;
        this.table = table;
        this.fileSize = in.size();
    }

    @Override
    Container container() {
        return Container.MP4;
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

    /** The box header at {@code pos}, or null when the file ends inside it. */
    private Box boxAt(long pos) throws IOException {
        if (fileSize - pos < 8) {
            return null;
        }
        ByteBuffer b = in.at(pos, 16);
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
            throw damaged("the box at byte " + pos + " gives a size of " + size
                    + " bytes, less than its own header: the file is damaged from there on");
        }
        return new Box(type, pos, size, header);
    }

    private ByteBuffer body(Box box) throws IOException {
        return box.bodySize() == 0 ? ByteBuffer.allocate(0) : in.at(box.body(), box.bodySize());
    }

    @Override
    MediaIndex run() throws IOException {
        Box first = boxAt(0);
        if (first == null || !(first.type.equals("ftyp") || first.type.equals("styp") || first.type.equals("moov"))) {
            throw damaged("it is not an MP4 file (it does not start with an ftyp box)");
        }
        boolean moovSeen = false;
        long pos = 0;
        while (pos < fileSize) {
            Box box = boxAt(pos);
            if (box == null) {
                cut("the file is cut off at byte " + fileSize + " inside the header of a box");
                break;
            }
            if (box.end() > fileSize) {
                cut("the file is cut off at byte " + fileSize + " inside its " + box.type + " box (which starts at byte "
                        + box.pos + ")");
                // a cut mdat (a plain file's or a fragment's): the samples past the end were dropped already
                break;
            }
            switch (box.type) {
                case "moov" -> {
                    if (box.size > MediaParser.MAX_MOVIE_HEADER) {
                        throw damaged(MediaParser.tooLarge("movie header (moov box)", box.pos, box.size,
                                MediaParser.MAX_MOVIE_HEADER));
                    }
                    at("its movie header (moov box at byte " + box.pos + ")");
                    parseMoov(body(box));
                    moovSeen = true;
                }
                case "moof" -> {
                    if (!moovSeen) {
                        throw damaged("a fragment (moof box at byte " + box.pos
                                + ") comes before the movie header (moov box)");
                    }
                    if (box.size > MediaParser.MAX_FRAGMENT_HEADER) {
                        throw damaged(MediaParser.tooLarge("fragment header (moof box)", box.pos, box.size,
                                MediaParser.MAX_FRAGMENT_HEADER));
                    }
                    at("its fragment header (moof box at byte " + box.pos + ")");
                    if (track != null) {
                        parseMoof(body(box), box.pos);
                    }
                }
                case "mfra" -> mfra = true;
                default -> {
                    // mdat, free, skip, sidx, udta ...: nothing to index
                }
            }
            pos = box.end();
        }
        if (!moovSeen) {
            throw damaged(cutNote != null ? "the file is cut off at byte " + fileSize
                    + " before its index (moov box): the recording was never finalised"
                    : "it has no movie header (moov box)");
        }
        if (track == null) {
            throw damaged(otherVideoEntry != null ? "its video codec '" + otherVideoEntry + "' is not one Vigil plays"
                    : "it has no video track");
        }
        if (table.isEmpty()) {
            throw damaged("it holds no complete video frame" + (cutNote != null ? ": " + cutNote : ""));
        }
        table.normalise();
        long ticks = !fragmented && cutNote == null && mdhdDuration > 0 ? mdhdDuration : sampleTicks;
        return new MediaIndex(Container.MP4, track, table, Duration.ofNanos(ns(ticks)), fragmented,
                cutNote == null && (!fragmented || mfra), Optional.ofNullable(cutNote), created);
    }

    private void cut(String note) {
        if (cutNote == null) {
            cutNote = note;
        }
    }

    // ------------------------------------------------------------------ moov

    private void parseMoov(ByteBuffer moov) throws IOException {
        ByteBuffer mvhd = child(moov, "mvhd");
        if (mvhd != null && mvhd.remaining() >= 20) {
            int p = mvhd.position();
            long creation = mvhd.get(p) == 1 ? mvhd.getLong(p + 4) : mvhd.getInt(p + 4) & 0xFFFFFFFFL;
            long unix = creation - SECONDS_1904_TO_1970;
            if (unix > 946_684_800L && unix < 4_102_444_800L) { // 2000..2100: anything else is not a real time
                created = Optional.of(Instant.ofEpochSecond(unix));
            }
        }
        for (ByteBuffer trak : children(moov, "trak")) {
            if (track == null) {
                parseTrak(trak);
            }
        }
        ByteBuffer mvex = child(moov, "mvex");
        fragmented = mvex != null;
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
        VideoTrack info = stsd == null ? null : sampleEntry(stsd);
        if (info == null) {
            if (otherVideoEntry == null) {
                otherVideoEntry = stsd != null && stsd.remaining() >= 16 ? fourcc(stsd, stsd.position() + 12) : "";
            }
            return;
        }
        int version = tkhd.get(tkhd.position()) & 0xFF;
        int id = tkhd.getInt(tkhd.position() + (version == 1 ? 20 : 12));
        int p = mdhd.position();
        boolean v1 = (mdhd.get(p) & 0xFF) == 1;
        long ts = mdhd.getInt(p + (v1 ? 20 : 12)) & 0xFFFFFFFFL;
        if (ts == 0) {
            throw damaged("its video track has no time scale");
        }
        long duration = v1 ? mdhd.getLong(p + 24) : mdhd.getInt(p + 16) & 0xFFFFFFFFL;
        trackId = id;
        timescale = ts;
        nsPerTick = 1_000_000_000L % ts == 0 ? 1_000_000_000L / ts : 0;
        mdhdDuration = duration == 0xFFFFFFFFL || duration < 0 ? 0 : duration;
        track = info;
        parseSampleTables(stbl);
    }

    /**
     * The first sample entry of {@code stsd} that Vigil can decode: H.264/H.265 with their decoder configuration
     * ({@code avcC}/{@code hvcC}; {@code avc3}/{@code hev1} may carry it in the stream instead), or JPEG.
     */
    private static VideoTrack sampleEntry(ByteBuffer stsd) {
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
                return new VideoTrack(codec, type, config, width, height);
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
        if (n == 0) {
            return;
        }
        if (n < 0 || n > MediaParser.MAX_SAMPLES || (fixedSize == 0 && stsz.remaining() < 12 + 4L * n)) {
            throw damaged("its sample size table (stsz box) is damaged");
        }
        table.reserve(n);
        boolean wide = co64 != null;
        ByteBuffer co = wide ? co64 : stco;
        int chunks = co.getInt(co.position() + 4);
        if (chunks < 0 || co.remaining() < 8 + (long) chunks * (wide ? 8 : 4)) {
            throw damaged("its chunk offset table (" + (wide ? "co64" : "stco") + " box) is damaged");
        }
        int scp = stsc.position();
        int runs = stsc.getInt(scp + 4);
        if (runs <= 0 || stsc.remaining() < 8 + 12L * runs) {
            throw damaged("its sample-to-chunk table (stsc box) is damaged");
        }
        int tp = stts.position();
        int deltas = stts.getInt(tp + 4);
        if (deltas < 0 || stts.remaining() < 8 + 8L * deltas) {
            throw damaged("its time-to-sample table (stts box) is damaged");
        }
        ByteBuffer ctts = child(stbl, "ctts");
        int cttsRuns = ctts == null || ctts.remaining() < 8 ? 0 : ctts.getInt(ctts.position() + 4);
        if (ctts != null && (cttsRuns < 0 || ctts.remaining() < 8 + 8L * cttsRuns)) {
            ctts = null;
        }
        ByteBuffer stss = child(stbl, "stss");
        int syncCount = stss == null ? 0 : stss.getInt(stss.position() + 4);
        if (stss != null && (syncCount < 0 || stss.remaining() < 8 + 4L * syncCount)) {
            throw damaged("its keyframe table (stss box) is damaged");
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
                        cut("the file is cut off at byte " + fileSize + " inside its media data (mdat box)");
                        return;
                    }
                    table.add(off, sz, ns(dts + cto), ns(dts), ns(delta), key);
                    sampleTicks += delta;
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
                dataPos = parseTrun(trun, moofPos, base, dataPos, defDuration, defSize, defFlags);
                if (cutNote != null) {
                    return;
                }
            }
        }
    }

    private long parseTrun(ByteBuffer trun, long moofPos, long base, long dataPos, long defDuration, int defSize,
            int defFlags) throws IOException {
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
            throw damaged("the sample table (trun box) of the fragment at byte " + moofPos
                    + " is damaged: it lists more samples than it holds");
        }
        if (per > 0) {
            table.reserve(table.count() + count);
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
                cut("the file is cut off at byte " + fileSize + " inside the media data of the fragment at byte "
                        + moofPos);
                return dataPos;
            }
            boolean nonSync = ((sflags >> 16) & 1) != 0;
            table.add(dataPos, size, ns(nextDts + cto), ns(nextDts), ns(duration), !nonSync);
            sampleTicks += duration;
            dataPos += size;
            nextDts += duration;
        }
        return dataPos;
    }

    // ------------------------------------------------------------------ helpers

    /** Track ticks in nanoseconds, exactly (floor): one multiplication, or one division, per value. */
    private long ns(long ticks) {
        if (nsPerTick > 0) {
            return ticks * nsPerTick;
        }
        if (ticks >= 0 && ticks < Long.MAX_VALUE / 1_000_000_000L) {
            return ticks * 1_000_000_000L / timescale;
        }
        return ticks / timescale * 1_000_000_000L + ticks % timescale * 1_000_000_000L / timescale;
    }

    private static String fourcc(ByteBuffer b, int at) {
        byte[] t = new byte[4];
        b.get(at, t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    /** The boxes of type {@code type} directly inside {@code parent} (whose position is at its first child). */
    private static List<ByteBuffer> children(ByteBuffer parent, String type) {
        List<ByteBuffer> out = new ArrayList<>(2);
        int wanted = type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
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
            if (parent.getInt(p + 4) == wanted) {
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
