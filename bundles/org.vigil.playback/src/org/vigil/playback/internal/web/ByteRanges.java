package org.vigil.playback.internal.web;

import java.util.Locale;

/**
 * The {@code Range} header of a request for a file of a known size (RFC 9110, section 14): one byte range is
 * answered with 206, several with the whole file (200: a server may ignore a Range header, and no player asks for
 * several), one that starts past the end with 416. A header that is not a valid {@code bytes=} range is ignored,
 * as the RFC says.
 */
final class ByteRanges {
    /** What to send: the whole file, one range, or nothing (416). */
    record Answer(Kind kind, long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    enum Kind {
        WHOLE, PARTIAL, UNSATISFIABLE
    }

    private ByteRanges() {
    }

    static Answer of(String header, long size) {
        Answer whole = new Answer(Kind.WHOLE, 0, size - 1);
        if (header == null) {
            return whole;
        }
        String h = header.strip();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return whole;
        }
        String spec = h.substring(6).strip();
        if (spec.contains(",")) {
            return whole; // several ranges: the whole file (documented)
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) { // the last N bytes
                if (b.isEmpty()) {
                    return whole;
                }
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    return new Answer(Kind.UNSATISFIABLE, 0, -1);
                }
                return new Answer(Kind.PARTIAL, Math.max(0, size - n), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return whole; // not a valid range: ignored
            }
            if (first >= size) {
                return new Answer(Kind.UNSATISFIABLE, 0, -1);
            }
            return new Answer(Kind.PARTIAL, first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return whole; // digits too many or not digits: ignored
        }
    }
}
