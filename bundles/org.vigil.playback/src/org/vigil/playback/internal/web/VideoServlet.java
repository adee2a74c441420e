package org.vigil.playback.internal.web;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vigil.api.camera.CameraId;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.Page;
import org.vigil.api.storage.PageCursor;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.Segment;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.users.Role;
import org.vigil.media.mp4.VideoRangeException;
import org.vigil.media.mp4.VirtualMp4;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;

/**
 * Recorded video over HTTP, for any player: {@code GET/HEAD /api/cameras/{id}/video.mp4?start=&end=} (a time range
 * of a camera as one MP4 assembled on the fly by {@link VirtualMp4}) and {@code GET/HEAD
 * /api/recordings/{segmentId}/file} (one segment file as it is), both with byte ranges. Role: viewer or higher.
 * Called by {@link VideoFilter} for the paths it takes (the path is read whole: the servlet matched may be another's).
 */
final class VideoServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger(VideoServlet.class.getName());
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** Gaps named in the {@code Vigil-Gaps} header at most (a header must stay small). */
    private static final int MAX_GAPS_SHOWN = 50;

    private final transient RecordingCatalog catalog;
    private final transient VideoCache cache = new VideoCache();

    VideoServlet(RecordingCatalog catalog) {
        this.catalog = catalog;
    }

    /** Whether this servlet answers the path (inside the recorder's context). */
    static boolean takes(String path) {
        List<String> p = rawParts(path);
        return p.size() == 4 && p.get(0).equals("api") && (p.get(1).equals("cameras") && p.get(3).equals("video.mp4")
                || p.get(1).equals("recordings") && p.get(3).equals("file"));
    }

    private static List<String> rawParts(String path) {
        List<String> out = new ArrayList<>();
        for (String s : (path == null ? "" : path).split("/", -1)) {
            out.add(s);
        }
        if (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        return out;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.VIEWER);
        List<String> p = rawParts(r.path());
        String id = p.get(2);
        if (id.isEmpty() || id.equals("..") || id.equals(".") || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("The path " + ApiRequest.shown(r.path()) + " is not valid.");
        }
        if (p.get(1).equals("cameras")) {
            video(r, id);
        } else {
            segmentFile(r, id);
        }
    }

    // ------------------------------------------------------------------ a time range as one MP4

    private void video(ApiRequest r, String camera) throws IOException {
        if (!CameraId.isValid(camera)) {
            throw ApiException.notFound("There is no camera '" + ApiRequest.shown(camera) + "': camera ids are lower"
                    + " case letters, digits, '-' and '_'.");
        }
        Instant start = r.instantParam("start").orElseThrow(() -> ApiException.badRequest(
                "Give the start of the video as 'start' (such as 2026-12-07T09:00:00Z or milliseconds since 1970)."));
        Instant end = r.instantParam("end").orElseThrow(() -> ApiException.badRequest(
                "Give the end of the video as 'end' (such as 2026-12-07T09:10:00Z or milliseconds since 1970)."));
        if (!end.isAfter(start)) {
            throw ApiException.badRequest("The end (" + end + ") must come after the start (" + start + ").");
        }
        if (Duration.between(start, end).compareTo(VirtualMp4.MAX_RANGE) > 0) {
            throw ApiException.badRequest("The range from " + start + " to " + end + " is longer than 24 hours: ask"
                    + " for at most a day at a time.");
        }
        if (!catalog.cameras().contains(camera)) {
            throw ApiException.notFound("The camera '" + camera + "' has no recordings (or does not exist):"
                    + " GET /api/cameras lists the cameras.");
        }
        List<Segment> segments = segments(camera, start, end);
        VirtualMp4 mp4;
        try {
            mp4 = cache.get(camera, start, end, segments, () -> {
                VirtualMp4 built = VirtualMp4.build(segments.stream()
                        .map(s -> new VirtualMp4.Source(s.path(), s.start())).toList(), start, end);
                if (!built.notes().isEmpty()) {
                    LOG.log(Level.INFO, "The video of {0} from {1} to {2}: {3}", camera, start, end,
                            String.join("; ", built.notes()));
                }
                return built;
            });
        } catch (VideoRangeException e) {
            int status = switch (e.reason()) {
                case NO_RECORDINGS -> 404;
                case BAD_RANGE -> 400;
                case CODEC_CHANGE, NOT_MP4 -> 409;
            };
            e.splitAt().ifPresent(t -> r.response().setHeader("Vigil-Split-At", t.toString()));
            throw new ApiException(status, e.getMessage());
        }
        var resp = r.response();
        resp.setHeader("Vigil-Video-Start", mp4.start().toString());
        resp.setHeader("Vigil-Video-End", mp4.end().toString());
        resp.setHeader("Vigil-Frames", Integer.toString(mp4.frames()));
        resp.setHeader("Vigil-Codecs", mp4.codecs());
        if (!mp4.gaps().isEmpty()) {
            resp.setHeader("Vigil-Gaps", mp4.gaps().stream().limit(MAX_GAPS_SHOWN)
                    .map(g -> g.start() + "/" + g.end()).collect(Collectors.joining(",")));
        }
        if (!mp4.notes().isEmpty()) {
            resp.setHeader("Vigil-Notes", Integer.toString(mp4.notes().size()));
        }
        String filename = camera + "-" + FILE_TIME.format(mp4.start()) + "-" + mp4.duration().toSeconds() + "s.mp4";
        RangedAnswer.send(r, mp4.size(), mp4.contentType(), mp4.etag(), mp4.lastModified(), filename,
                (pos, len, out) -> fromFiles(r, o -> mp4.writeTo(pos, len, o), out));
    }

    /** The camera's catalogued segments overlapping the range, in time order (every page). */
    private List<Segment> segments(String camera, Instant start, Instant end) {
        List<Segment> out = new ArrayList<>();
        SegmentQuery q = SegmentQuery.of(camera, start, end).withLimit(SegmentQuery.MAX_LIMIT);
        while (true) {
            Page<Segment> page = catalog.segments(q);
            out.addAll(page.items());
            Optional<PageCursor> next = page.next();
            if (next.isEmpty()) {
                return out;
            }
            q = q.after(next.get());
        }
    }

    // ------------------------------------------------------------------ one segment file

    private void segmentFile(ApiRequest r, String id) throws IOException {
        long segmentId;
        try {
            segmentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("A recording's id is a whole number (as GET /api/recordings lists it); got '"
                    + ApiRequest.shown(id) + "'.");
        }
        Segment s = catalog.segment(segmentId).orElseThrow(() -> ApiException.notFound("No recording has the id "
                + segmentId + "; GET /api/recordings lists them."));
        long size;
        Instant modified;
        try {
            size = Files.size(s.path());
            modified = Files.getLastModifiedTime(s.path()).toInstant();
        } catch (NoSuchFileException e) {
            throw new ApiException(410, "The recording " + segmentId + " of " + s.cameraId() + " at " + s.start()
                    + " is catalogued but its file is gone (deleted meanwhile).");
        }
        String etag = "\"" + segmentId + "-" + size + "-" + modified.toEpochMilli() + "\"";
        boolean mkv = s.container() == Container.MATROSKA;
        String filename = s.cameraId() + "-" + FILE_TIME.format(s.start()) + (mkv ? ".mkv" : ".mp4");
        RangedAnswer.send(r, size, mkv ? "video/x-matroska" : "video/mp4", etag, modified, filename,
                (pos, len, out) -> fromFiles(r, o -> copy(s, size, pos, len, o), out));
    }

    private static void copy(Segment s, long size, long pos, long len, OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path())) {
            if (ch.size() != size) {
                throw new IOException("The recording " + s.id() + " changed while it was being sent; ask again.");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(256 * 1024, len));
            long p = pos;
            long left = len;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = ch.read(buf, p);
                if (n < 0) {
                    throw new IOException("The recording " + s.id() + " became shorter while it was being sent.");
                }
                out.write(buf.array(), 0, n);
                p += n;
                left -= n;
            }
        } catch (NoSuchFileException e) {
            throw new IOException("The recording " + s.id() + " was deleted (by retention or a deletion) while it"
                    + " was being sent; ask again.", e);
        }
    }

    // ------------------------------------------------------------------ errors of the files, not the client

    private interface Copy {
        void to(OutputStream out) throws IOException;
    }

    /**
     * Runs {@code copy}, telling a failure of the files (vanished, changed: 410 with its sentence while nothing was
     * sent, else logged) from a client that went away (rethrown as it is).
     */
    private static void fromFiles(ApiRequest r, Copy copy, OutputStream out) throws IOException {
        try {
            copy.to(new ClientStream(out));
        } catch (ClientGone e) {
            throw e.getCause();
        } catch (IOException e) {
            if (!r.response().isCommitted()) {
                r.response().setHeader("Content-Range", null);
                throw new ApiException(410, e.getMessage());
            }
            LOG.log(Level.WARNING, "Sending {0} stopped: {1}", r.path(), e.getMessage());
            throw e;
        }
    }

    /** An output stream whose failures are marked as the client's. */
    static final class ClientStream extends FilterOutputStream {
        ClientStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw new ClientGone(e);
            }
        }
    }

    /** The client's side of a copy failed (it went away). */
    static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
