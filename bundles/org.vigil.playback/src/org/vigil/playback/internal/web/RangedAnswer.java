package org.vigil.playback.internal.web;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;

/**
 * Answers a GET or HEAD for a file of known size that may be read at any offset: {@code Accept-Ranges},
 * {@code ETag}, {@code Last-Modified}, conditional requests ({@code If-None-Match} 304, {@code If-Range}), 206 with
 * {@code Content-Range} for one range, 416 for a range past the end, 200 otherwise.
 */
final class RangedAnswer {
    /** The bytes of the answer, readable at any offset. */
    interface Body {
        void writeTo(long position, long length, OutputStream out) throws IOException;
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private RangedAnswer() {
    }

    static void send(ApiRequest r, long size, String contentType, String etag, Instant lastModified, String filename,
            Body body) throws IOException {
        HttpServletRequest req = r.request();
        HttpServletResponse resp = r.response();
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setHeader("ETag", etag);
        resp.setHeader("Last-Modified", HTTP_DATE.format(lastModified));
        resp.setHeader("Cache-Control", "private, no-cache");
        String inm = req.getHeader("If-None-Match");
        if (inm != null && (inm.strip().equals("*") || java.util.Arrays.stream(inm.split(","))
                .map(String::strip).anyMatch(t -> t.equals(etag) || t.equals("W/" + etag)))) {
            resp.setStatus(304);
            return;
        }
        ByteRanges.Answer range = ByteRanges.of(req.getHeader("Range"), size);
        String ifRange = req.getHeader("If-Range");
        if (range.kind() != ByteRanges.Kind.WHOLE && ifRange != null && !ifRangeHolds(ifRange.strip(), etag,
                lastModified)) {
            range = new ByteRanges.Answer(ByteRanges.Kind.WHOLE, 0, size - 1);
        }
        if (range.kind() == ByteRanges.Kind.UNSATISFIABLE) {
            resp.setHeader("Content-Range", "bytes */" + size);
            throw new ApiException(416, "The range " + ApiRequest.shown(req.getHeader("Range"))
                    + " starts past the end of the file, which has " + size + " bytes.");
        }
        resp.setContentType(contentType);
        resp.setHeader("Content-Disposition", "inline; filename=\"" + filename + "\"");
        long first = range.kind() == ByteRanges.Kind.PARTIAL ? range.first() : 0;
        long length = range.kind() == ByteRanges.Kind.PARTIAL ? range.length() : size;
        if (range.kind() == ByteRanges.Kind.PARTIAL) {
            resp.setStatus(206);
            resp.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        } else {
            resp.setStatus(200);
        }
        resp.setContentLengthLong(length);
        if (r.bodyless() || length == 0) {
            return;
        }
        OutputStream out = resp.getOutputStream();
        body.writeTo(first, length, out);
        out.flush();
    }

    private static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(etag); // a strong comparison
        }
        try {
            Instant t = Instant.from(HTTP_DATE.parse(ifRange));
            return !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(t);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
