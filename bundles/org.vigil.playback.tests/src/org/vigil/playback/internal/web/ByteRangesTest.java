package org.vigil.playback.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vigil.playback.internal.web.ByteRanges.Answer;
import org.vigil.playback.internal.web.ByteRanges.Kind;

/** The Range header of a video request (pure logic; the real server and players are in the distribution tests). */
class ByteRangesTest {
    private static final long SIZE = 1000;

    private static void expect(String header, Kind kind, long first, long last) {
        Answer a = ByteRanges.of(header, SIZE);
        assertEquals(kind, a.kind(), header);
        if (kind != Kind.UNSATISFIABLE) {
            assertEquals(first, a.first(), header);
            assertEquals(last, a.last(), header);
        }
    }

    @Test
    void oneRangeIsPartial() {
        expect("bytes=0-99", Kind.PARTIAL, 0, 99);
        expect("bytes=500-", Kind.PARTIAL, 500, 999);
        expect("bytes=-100", Kind.PARTIAL, 900, 999);
        expect("bytes=-5000", Kind.PARTIAL, 0, 999);
        expect("bytes=990-5000", Kind.PARTIAL, 990, 999);
        expect("BYTES=7-7", Kind.PARTIAL, 7, 7);
        expect("bytes=0-0", Kind.PARTIAL, 0, 0);
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        expect("bytes=1000-", Kind.UNSATISFIABLE, 0, 0);
        expect("bytes=5000-6000", Kind.UNSATISFIABLE, 0, 0);
        expect("bytes=-0", Kind.UNSATISFIABLE, 0, 0);
    }

    @Test
    void severalRangesOrAnInvalidHeaderGiveTheWholeFile() {
        expect(null, Kind.WHOLE, 0, 999);
        expect("bytes=0-1,5-6", Kind.WHOLE, 0, 999);
        expect("items=0-5", Kind.WHOLE, 0, 999);
        expect("bytes=9-3", Kind.WHOLE, 0, 999);
        expect("bytes=a-b", Kind.WHOLE, 0, 999);
        expect("bytes=99999999999999999999999-", Kind.WHOLE, 0, 999);
        expect("bytes=-", Kind.WHOLE, 0, 999);
    }
}
