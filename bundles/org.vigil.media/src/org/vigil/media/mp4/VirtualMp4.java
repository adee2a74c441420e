package org.vigil.media.mp4;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.media.DamagedMediaException;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;
import org.vigil.media.Samples;
import org.vigil.media.VideoTrack;

/**
 * One MP4 file that does not exist on disk: a camera's recordings from one time to another, assembled on the fly from
 * its segment files without re-encoding and without a temporary file (Moonfire NVR's "virtual .mp4" is the model).
 * The file is a generated header ({@code ftyp}, then {@code moov} with complete sample tables, then the {@code mdat}
 * header: "faststart", so every player can seek) followed by the frames, which are slices of the segment files read
 * only when that byte range is asked for. Its {@link #size()} is known once built, and any byte range can be read
 * ({@link #read}, {@link #writeTo}): what an HTTP server needs for {@code Range:} requests.
 * <p>
 * <b>The range</b> is cut at whole frames: the video starts at the keyframe at or before the start asked for (so
 * that its first picture decodes; {@link #start()} says when that is) and ends with the last frame presented before
 * the end asked for. <b>Time is kept real</b>: a gap between recordings (the camera was offline) is not hidden, the
 * frame before it stays on screen until the next one, and {@link #gaps()} names every gap of more than
 * {@value #GAP_MILLIS} ms. <b>Video only</b>: an audio track of the segments is left out. The parameters of the video
 * (codec, decoder configuration, picture size) must be the same in every segment used, else the range is refused
 * ({@link VideoRangeException.Reason#CODEC_CHANGE}, naming where to split it); so is a range longer than
 * {@link #MAX_RANGE} and a Matroska segment (MJPEG is recorded as Matroska). A segment cut short by a crash gives its
 * complete frames; one that cannot be read at all is left out, and {@link #notes()} says so.
 * <p>
 * Memory: the sample tables are int arrays (about 12 bytes a frame while building, the header about 4 bytes a frame:
 * some 400 KB for an hour at 25 fps); the slices a few per second of video. Immutable and safe to share between
 * threads; every read opens the files it needs and closes them.
 */
public final class VirtualMp4 {
    /** The longest range served as one file. */
    public static final Duration MAX_RANGE = Duration.ofHours(24);
    /** Interruptions shorter than this are jitter between segments, not gaps worth naming. */
    public static final long GAP_MILLIS = 1000;
    /** The media time scale of the generated track (ticks a second), as MPEG uses. */
    static final int TIMESCALE = 90_000;
    private static final int MOVIE_TIMESCALE = 1000;
    private static final long SECONDS_1904_TO_1970 = 2_082_844_800L;
    private static final int BUFFER = 256 * 1024;

    /**
     * One recorded segment file and the wall-clock time of its first presented frame (the catalog's start).
     */
    public record Source(Path file, Instant start) {
        public Source {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(start, "start");
        }
    }

    /** A stretch without recording inside the video: the frame before it stays on screen until its end. */
    public record Gap(Instant start, Instant end) {
        public Duration duration() {
            return Duration.between(start, end);
        }
    }

    private final VideoTrack track;
    private final byte[] header;
    private final long size;
    private final Path[] files;
    private final long[] fileSizes;
    private final long[] sliceStart;
    private final int[] sliceSource;
    private final long[] sliceOffset;
    private final int[] sliceLength;
    private final int frames;
    private final Instant start;
    private final Instant end;
    private final List<Gap> gaps;
    private final List<String> notes;
    private final String etag;
    private final Instant lastModified;

    private VirtualMp4(Assembler a, byte[] header) {
        this.track = a.track;
        this.header = header;
        this.size = header.length + a.payload;
        this.files = a.files.toArray(new Path[0]);
        this.fileSizes = a.fileSizes.toArray();
        this.sliceSource = a.sliceSource.toArray();
        this.sliceOffset = a.sliceOffset.toArray();
        this.sliceLength = a.sliceLength.toArray();
        long[] starts = a.sliceStart.toArray();
        for (int i = 0; i < starts.length; i++) {
            starts[i] += header.length;
        }
        this.sliceStart = starts;
        this.frames = a.count;
        this.start = a.from.plusNanos(a.firstPts);
        this.end = a.from.plusNanos(a.lastEnd);
        this.gaps = List.copyOf(a.gaps);
        this.notes = List.copyOf(a.notes);
        this.etag = a.etag();
        this.lastModified = Instant.ofEpochMilli(a.newestModified);
    }

    /**
     * Assembles the recordings {@code sources} (the segment files of one camera, in any order) between {@code from}
     * and {@code to} into one MP4. Reads each segment's structure (not its frames).
     *
     * @throws VideoRangeException with one sentence when the range cannot be one MP4: empty or reversed, longer than
     *                             {@link #MAX_RANGE}, no playable frame in it, a codec change, a Matroska segment
     * @throws IOException         when a segment file cannot be read for another reason than damage or absence
     */
    public static VirtualMp4 build(List<Source> sources, Instant from, Instant to)
            throws VideoRangeException, IOException {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new VideoRangeException(VideoRangeException.Reason.BAD_RANGE, "The end of the range (" + time(to)
                    + ") must come after its start (" + time(from) + ").");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new VideoRangeException(VideoRangeException.Reason.BAD_RANGE, "The range from " + time(from)
                    + " to " + time(to) + " is longer than 24 hours: ask for at most a day at a time.");
        }
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparing(Source::start));
        Assembler a = new Assembler(from, to);
        for (Source s : ordered) {
            a.add(s);
        }
        if (a.durationCapped) {
            a.notes.add("a gap of more than 13 hours lasts 13 hours in the video's timeline (an MP4 frame cannot last"
                    + " longer)");
        }
        if (a.count == 0) {
            throw new VideoRangeException(VideoRangeException.Reason.NO_RECORDINGS, "Nothing playable was recorded"
                    + " between " + time(from) + " and " + time(to)
                    + (a.notes.isEmpty() ? "." : " (" + a.notes.get(0) + ")."));
        }
        return new VirtualMp4(a, a.header());
    }

    /** The length of the whole file in bytes. */
    public long size() {
        return size;
    }

    public String contentType() {
        return "video/mp4";
    }

    /**
     * The codec as RFC 6381 names it for a browser's {@code canPlayType} ({@code avc1.64001f}; {@code hvc1} or
     * {@code mp4v} when not derivable).
     */
    public String codecs() {
        byte[] c = track.codecData();
        if (track.codec() == Codec.H264 && c.length >= 4) {
            return String.format("%s.%02x%02x%02x", track.sampleEntry(), c[1] & 0xFF, c[2] & 0xFF, c[3] & 0xFF);
        }
        return track.sampleEntry();
    }

    /**
     * A strong entity tag for HTTP (with its quotes): the same while the same frames of the same files make the
     * file, different when a segment was replaced or the range covers other frames.
     */
    public String etag() {
        return etag;
    }

    /** The newest modification time of the segment files used, to the millisecond. */
    public Instant lastModified() {
        return lastModified;
    }

    public VideoTrack track() {
        return track;
    }

    /** The number of video frames (samples) in the file. */
    public int frames() {
        return frames;
    }

    /** The wall-clock time of the first picture: the keyframe at or before the start asked for. */
    public Instant start() {
        return start;
    }

    /** The wall-clock time the last picture ends. */
    public Instant end() {
        return end;
    }

    /** The length of the video: from {@link #start()} to {@link #end()} (gaps included, as time is kept real). */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /** The gaps without recording inside the video, longer than {@value #GAP_MILLIS} ms, in time order. */
    public List<Gap> gaps() {
        return gaps;
    }

    /** Sentences about segments left out or cut short (damaged, truncated, vanished). */
    public List<String> notes() {
        return notes;
    }

    /** The number of segment files the frames come from. */
    public int segments() {
        return files.length;
    }

    /**
     * Reads bytes of the file from {@code position} into {@code dst}, as many as it has room for or the file holds.
     *
     * @return the number of bytes read, -1 when {@code position} is at or past the end
     * @throws IOException with one sentence when a segment file has vanished or changed since the file was built
     */
    public int read(long position, ByteBuffer dst) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (position >= size) {
            return -1;
        }
        try (Reading r = new Reading()) {
            return r.read(position, dst);
        }
    }

    /**
     * Writes {@code length} bytes of the file from {@code position} to {@code out} (a byte range of an HTTP answer),
     * reading only the slices of the segment files it covers.
     *
     * @throws IOException with one sentence when a segment file has vanished or changed since the file was built, or
     *                     the error of {@code out}
     */
    public void writeTo(long position, long length, OutputStream out) throws IOException {
        if (position < 0 || length < 0 || position + length > size) {
            throw new IllegalArgumentException("bytes " + position + "+" + length + " are outside 0.." + size);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
        long pos = position;
        long left = length;
        try (Reading r = new Reading()) {
            while (left > 0) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), left));
                int n = r.read(pos, buf);
                out.write(buf.array(), 0, n);
                pos += n;
                left -= n;
            }
        }
    }

    @Override
    public String toString() {
        return "MP4 of " + frames + " frames from " + files.length + " segments, " + time(start) + " to " + time(end)
                + ", " + size + " bytes";
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** One read: the segment files it opens, closed at its end. */
    private final class Reading implements AutoCloseable {
        private final FileChannel[] open = new FileChannel[files.length];

        int read(long position, ByteBuffer dst) throws IOException {
            int done = 0;
            long pos = position;
            while (dst.hasRemaining() && pos < size) {
                if (pos < header.length) {
                    int n = (int) Math.min(dst.remaining(), header.length - pos);
                    dst.put(header, (int) pos, n);
                    pos += n;
                    done += n;
                    continue;
                }
                int s = Arrays.binarySearch(sliceStart, pos);
                if (s < 0) {
                    s = -s - 2;
                }
                long within = pos - sliceStart[s];
                int n = (int) Math.min(dst.remaining(), sliceLength[s] - within);
                readFully(sliceSource[s], sliceOffset[s] + within, dst, n);
                pos += n;
                done += n;
            }
            return done;
        }

        private void readFully(int source, long at, ByteBuffer dst, int n) throws IOException {
            FileChannel ch = channel(source);
            ByteBuffer part = dst.duplicate();
            part.limit(part.position() + n);
            long p = at;
            while (part.hasRemaining()) {
                int r = ch.read(part, p);
                if (r < 0) {
                    throw new EOFException("The recording " + files[source] + " became shorter after this video was"
                            + " put together; ask for the video again.");
                }
                p += r;
            }
            dst.position(dst.position() + n);
        }

        private FileChannel channel(int source) throws IOException {
            FileChannel ch = open[source];
            if (ch == null) {
                try {
                    ch = FileChannel.open(files[source]);
                } catch (NoSuchFileException e) {
                    throw new NoSuchFileException(files[source].toString(), null, "The recording "
                            + files[source] + " was deleted (by retention or a deletion) after this video was put"
                            + " together; ask for the video again.");
                }
                open[source] = ch;
                if (ch.size() != fileSizes[source]) {
                    throw new IOException("The recording " + files[source] + " changed after this video was put"
                            + " together (" + fileSizes[source] + " bytes then, " + ch.size()
                            + " now); ask for the video again.");
                }
            }
            return ch;
        }

        @Override
        public void close() {
            for (FileChannel ch : open) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // a read-only channel: nothing was written that could be lost
                    }
                }
            }
        }
    }

    /** Collects the frames of the segments in order, then writes the header. */
    private static final class Assembler {
        final Instant from;
        final long rangeNanos;
        VideoTrack track;
        Instant trackSince;
        final List<Path> files = new ArrayList<>();
        final Longs fileSizes = new Longs();
        final Longs fileIdentity = new Longs();
        final List<Gap> gaps = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long newestModified;

        // per frame (decoding order)
        int count;
        final Ints sizes = new Ints();
        final Ints durations = new Ints();
        final Ints offsets = new Ints();
        final Ints keyframes = new Ints();
        boolean reordered;
        long originNanos;
        long lastTick;
        long prevEndNanos;
        long firstPts = Long.MAX_VALUE;
        long lastEnd = Long.MIN_VALUE;
        long minComposition = Long.MAX_VALUE;
        boolean durationCapped;

        // chunks (one per segment) and slices of the files (runs of adjacent frames)
        final Ints chunkSamples = new Ints();
        final Longs chunkOffset = new Longs();
        final Ints sliceSource = new Ints();
        final Longs sliceOffset = new Longs();
        final Ints sliceLength = new Ints();
        final Longs sliceStart = new Longs();
        long payload;

        Assembler(Instant from, Instant to) {
            this.from = from;
            this.rangeNanos = Duration.between(from, to).toNanos();
        }

        void add(Source source) throws IOException, VideoRangeException {
            Path file = source.file();
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase();
            if (name.endsWith(".mkv") || name.endsWith(".webm")) {
                throw notMp4(source);
            }
            long base = Duration.between(from, source.start()).toNanos();
            if (base >= rangeNanos) {
                return;
            }
            MediaIndex ix;
            long fileSize;
            long modified;
            try (FileChannel ch = FileChannel.open(file)) {
                fileSize = ch.size();
                modified = Files.getLastModifiedTime(file).toMillis();
                ix = MediaParser.parse(ch);
            } catch (NoSuchFileException e) {
                notes.add("the recording of " + time(source.start()) + " (" + file + ") was deleted meanwhile");
                return;
            } catch (DamagedMediaException e) {
                if (e.container() == Container.MATROSKA) {
                    throw notMp4(source);
                }
                notes.add("the recording of " + time(source.start()) + " (" + file + ") is left out: "
                        + e.getMessage());
                return;
            }
            if (ix.container() != Container.MP4) {
                throw notMp4(source);
            }
            Samples s = ix.samples();
            if (base + s.end() <= 0) {
                return; // ends before the range
            }
            int first = count == 0 && base < 0 ? s.keyframeFor(-base) : 0;
            if (!s.keyframe(first)) {
                first = s.nextKeyframe(first);
            }
            if (first < 0) {
                notes.add("the recording of " + time(source.start()) + " (" + file + ") is left out: it has no keyframe");
                return;
            }
            int last = -1;
            for (int i = first; i < s.count(); i++) {
                if (base + s.pts(i) < rangeNanos) {
                    last = i;
                }
            }
            if (last < 0) {
                return;
            }
            if (track == null) {
                track = ix.track();
                trackSince = source.start();
            } else if (!track.equals(ix.track())) {
                Instant at = source.start();
                throw new VideoRangeException(VideoRangeException.Reason.CODEC_CHANGE, "The video changes at "
                        + time(at) + " from " + describe(track) + " to " + describe(ix.track())
                        + ", so the range cannot be one MP4: ask for the part before " + time(at)
                        + " and the part from it separately.", at);
            }
            ix.cutNote().ifPresent(note -> notes.add("the recording of " + time(source.start()) + " (" + file
                    + ") ends early, its complete frames are used: " + note));
            int src = files.size();
            files.add(file);
            fileSizes.add(fileSize);
            fileIdentity.add(modified);
            fileIdentity.add(first);
            fileIdentity.add(last);
            newestModified = Math.max(newestModified, modified);
            chunkSamples.add(0);
            chunkOffset.add(payload);
            for (int i = first; i <= last; i++) {
                frame(s, i, base, src);
            }
        }

        private void frame(Samples s, int i, long base, int src) {
            long dts = base + s.dts(i);
            long pts = base + s.pts(i);
            long own = Math.max(1, ticks(s.duration(i)));
            if (count == 0) {
                originNanos = dts;
                lastTick = -1;
            } else {
                if (dts - prevEndNanos > GAP_MILLIS * 1_000_000L) {
                    gaps.add(new Gap(from.plusNanos(prevEndNanos), from.plusNanos(dts)));
                }
            }
            long tick = Math.max(lastTick + 1, ticks(dts - originNanos));
            if (count > 0) {
                long d = tick - lastTick;
                if (d > 0xFFFFFFFFL) { // a gap longer than 13 hours: the sample delta has 32 bits
                    d = 0xFFFFFFFFL;
                    tick = lastTick + d;
                    durationCapped = true;
                }
                durations.set(count - 1, (int) d);
            }
            int composition = (int) ticks(pts - dts);
            reordered |= composition != 0;
            minComposition = Math.min(minComposition, tick + composition);
            sizes.add(s.size(i));
            durations.add((int) Math.min(own, 0xFFFFFFFFL));
            offsets.add(composition);
            if (s.keyframe(i)) {
                keyframes.add(count + 1);
            }
            firstPts = Math.min(firstPts, pts);
            lastEnd = Math.max(lastEnd, pts + s.duration(i));
            prevEndNanos = dts + s.duration(i);
            lastTick = tick;
            long off = s.offset(i);
            int n = s.size(i);
            int last = sliceSource.size() - 1;
            if (last >= 0 && sliceSource.get(last) == src
                    && sliceOffset.get(last) + sliceLength.get(last) == off
                    && (long) sliceLength.get(last) + n < (1 << 30)) {
                sliceLength.set(last, sliceLength.get(last) + n);
            } else {
                sliceSource.add(src);
                sliceOffset.add(off);
                sliceLength.add(n);
                sliceStart.add(payload);
            }
            payload += n;
            chunkSamples.set(chunkSamples.size() - 1, chunkSamples.get(chunkSamples.size() - 1) + 1);
            count++;
        }

        static long ticks(long nanos) {
            return Math.floorDiv(nanos * 9 + 50_000, 100_000); // 90 kHz, rounded; 24 h stays far from overflow
        }

        private static VideoRangeException notMp4(Source source) {
            return new VideoRangeException(VideoRangeException.Reason.NOT_MP4, "The recording of "
                    + time(source.start()) + " (" + source.file() + ") is Matroska (how MJPEG is recorded), which"
                    + " cannot be served as one MP4; export the range instead.");
        }

        private static String describe(VideoTrack t) {
            return t.codec().id() + " " + t.width() + "x" + t.height()
                    + (t.codecData().length > 0 ? " (decoder configuration "
                            + HexFormat.of().formatHex(t.codecData(), 0, Math.min(8, t.codecData().length)) + "...)"
                            : "");
        }

        String etag() {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(("vigil-mp4-1|" + from + "|" + rangeNanos + "|").getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < files.size(); i++) {
                    md.update((files.get(i) + "|" + fileSizes.get(i) + "|" + fileIdentity.get(3 * i) + "|"
                            + fileIdentity.get(3 * i + 1) + "|" + fileIdentity.get(3 * i + 2) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                return "\"" + HexFormat.of().formatHex(md.digest(), 0, 16) + "\"";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        // -------------------------------------------------------------- the header

        byte[] header() {
            byte[] ftyp = ftyp();
            boolean co64 = false;
            while (true) {
                int mdatHeader = payload + 8 > 0xFFFFFFFFL ? 16 : 8;
                int moovLength = moov(0, co64).length;
                long base = (long) ftyp.length + moovLength + mdatHeader;
                if (!co64 && base + chunkOffset.get(chunkOffset.size() - 1) > 0xFFFFFFFFL) {
                    co64 = true;
                    continue;
                }
                byte[] moov = moov(base, co64);
                BoxWriter w = new BoxWriter(ftyp.length + moov.length + mdatHeader);
                w.bytes(ftyp).bytes(moov);
                if (mdatHeader == 16) {
                    w.u32(1).fourcc("mdat").u64(payload + 16);
                } else {
                    w.u32(payload + 8).fourcc("mdat");
                }
                return w.toByteArray();
            }
        }

        private byte[] ftyp() {
            BoxWriter w = new BoxWriter(32);
            w.box("ftyp").fourcc("isom").u32(0x200).fourcc("isom").fourcc("iso2");
            w.fourcc(track.codec() == Codec.H265 ? "hvc1" : "avc1").fourcc("mp41").close();
            return w.toByteArray();
        }

        private byte[] moov(long base, boolean co64) {
            long mediaTicks = 0;
            for (int i = 0; i < count; i++) {
                mediaTicks += Integer.toUnsignedLong(durations.get(i));
            }
            long movieTicks = mediaTicks * MOVIE_TIMESCALE / TIMESCALE;
            long created = from.plusNanos(firstPts).getEpochSecond() + SECONDS_1904_TO_1970;
            boolean v1 = created > 0xFFFFFFFFL || mediaTicks > 0xFFFFFFFFL;
            BoxWriter w = new BoxWriter(64 * 1024 + count * 4 + keyframes.size() * 4 + (reordered ? count * 8 : 0));
            w.box("moov");
            w.full("mvhd", v1 ? 1 : 0, 0);
            times(w, v1, created);
            w.u32(MOVIE_TIMESCALE);
            length(w, v1, movieTicks);
            w.u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24).u32(2);
            w.close();
            w.box("trak");
            w.full("tkhd", v1 ? 1 : 0, 3);
            times(w, v1, created);
            w.u32(1).u32(0);
            length(w, v1, movieTicks);
            w.zeros(8).u16(0).u16(0).u16(0).u16(0).matrix().u32((long) track.width() << 16)
                    .u32((long) track.height() << 16);
            w.close();
            if (minComposition > 0 && minComposition != Long.MAX_VALUE) {
                // B-frames: the first picture is presented after decoding starts; the edit list starts there
                w.box("edts").full("elst", 0, 0).u32(1).u32(movieTicks).u32(minComposition).u16(1).u16(0)
                        .close().close();
            }
            w.box("mdia");
            w.full("mdhd", v1 ? 1 : 0, 0);
            times(w, v1, created);
            w.u32(TIMESCALE);
            length(w, v1, mediaTicks);
            w.u16(0x55C4).u16(0); // language "und"
            w.close();
            w.full("hdlr", 0, 0).u32(0).fourcc("vide").zeros(12).fourcc("Vigi").fourcc("lVid").u8(0).close();
            w.box("minf");
            w.full("vmhd", 0, 1).zeros(8).close();
            w.box("dinf").full("dref", 0, 0).u32(1).full("url ", 0, 1).close().close().close();
            w.box("stbl");
            sampleDescription(w);
            timeToSample(w);
            if (reordered) {
                compositionOffsets(w);
            }
            if (keyframes.size() < count) {
                w.full("stss", 0, 0).u32(keyframes.size());
                for (int i = 0; i < keyframes.size(); i++) {
                    w.u32(keyframes.get(i));
                }
                w.close();
            }
            w.full("stsz", 0, 0).u32(0).u32(count);
            for (int i = 0; i < count; i++) {
                w.u32(Integer.toUnsignedLong(sizes.get(i)));
            }
            w.close();
            sampleToChunk(w);
            w.full(co64 ? "co64" : "stco", 0, 0).u32(chunkOffset.size());
            for (int i = 0; i < chunkOffset.size(); i++) {
                if (co64) {
                    w.u64(base + chunkOffset.get(i));
                } else {
                    w.u32(base + chunkOffset.get(i));
                }
            }
            w.close();
            w.close().close().close().close(); // stbl minf mdia trak
            w.close(); // moov
            return w.toByteArray();
        }

        private static void times(BoxWriter w, boolean v1, long created) {
            if (v1) {
                w.u64(created).u64(created);
            } else {
                w.u32(created).u32(created);
            }
        }

        private static void length(BoxWriter w, boolean v1, long ticks) {
            if (v1) {
                w.u64(ticks);
            } else {
                w.u32(ticks);
            }
        }

        private void sampleDescription(BoxWriter w) {
            w.full("stsd", 0, 0).u32(1);
            w.box(track.sampleEntry());
            w.zeros(6).u16(1); // reserved, data reference 1
            w.zeros(16).u16(track.width()).u16(track.height()).u32(0x00480000).u32(0x00480000).u32(0).u16(1);
            w.zeros(32).u16(0x0018).u16(0xFFFF);
            byte[] config = track.codecData();
            if (config.length > 0 && track.codec() != Codec.MJPEG) {
                w.box(track.codec() == Codec.H265 ? "hvcC" : "avcC").bytes(config).close();
            }
            w.close().close();
        }

        private void timeToSample(BoxWriter w) {
            Ints runs = new Ints();
            for (int i = 0; i < count; i++) {
                int d = durations.get(i);
                if (runs.size() > 0 && runs.get(runs.size() - 1) == d) {
                    runs.set(runs.size() - 2, runs.get(runs.size() - 2) + 1);
                } else {
                    runs.add(1);
                    runs.add(d);
                }
            }
            w.full("stts", 0, 0).u32(runs.size() / 2);
            for (int i = 0; i < runs.size(); i++) {
                w.u32(Integer.toUnsignedLong(runs.get(i)));
            }
            w.close();
        }

        private void compositionOffsets(BoxWriter w) {
            boolean negative = false;
            Ints runs = new Ints();
            for (int i = 0; i < count; i++) {
                int c = offsets.get(i);
                negative |= c < 0;
                if (runs.size() > 0 && runs.get(runs.size() - 1) == c) {
                    runs.set(runs.size() - 2, runs.get(runs.size() - 2) + 1);
                } else {
                    runs.add(1);
                    runs.add(c);
                }
            }
            w.full("ctts", negative ? 1 : 0, 0).u32(runs.size() / 2);
            for (int i = 0; i < runs.size(); i++) {
                w.u32(Integer.toUnsignedLong(runs.get(i)));
            }
            w.close();
        }

        private void sampleToChunk(BoxWriter w) {
            Ints entries = new Ints();
            for (int c = 0; c < chunkSamples.size(); c++) {
                int n = chunkSamples.get(c);
                if (entries.size() == 0 || entries.get(entries.size() - 1) != n) {
                    entries.add(c + 1);
                    entries.add(n);
                }
            }
            w.full("stsc", 0, 0).u32(entries.size() / 2);
            for (int i = 0; i < entries.size(); i += 2) {
                w.u32(entries.get(i)).u32(entries.get(i + 1)).u32(1);
            }
            w.close();
        }
    }

    /** A growing int array. */
    static final class Ints {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int get(int i) {
            return a[i];
        }

        void set(int i, int v) {
            a[i] = v;
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** A growing long array. */
    static final class Longs {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
