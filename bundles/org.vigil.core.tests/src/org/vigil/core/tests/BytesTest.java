package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vigil.api.command.Bytes;

/** The one byte formatter of every command and view: decimal units, SI symbols, three significant digits. */
class BytesTest {
    @Test
    void edgesOfEachUnit() {
        assertEquals("0 B", Bytes.text(0));
        assertEquals("1 B", Bytes.text(1));
        assertEquals("999 B", Bytes.text(999));
        assertEquals("1.00 kB", Bytes.text(1000));
        assertEquals("1.02 kB", Bytes.text(1023));
        assertEquals("1.02 kB", Bytes.text(1024));
        assertEquals("16.8 MB", Bytes.text(16_800_000));
        assertEquals("980 kB", Bytes.text(980_000));
        assertEquals("8.39 MB", Bytes.text(8_388_608));
        assertEquals("1.50 GB", Bytes.text(1_500_000_000L));
        assertEquals("2.00 TB", Bytes.text(2_000_000_000_000L));
        assertEquals("9.22 EB", Bytes.text(Long.MAX_VALUE));
    }

    @Test
    void roundingNeverShowsAThousandOfAUnit() {
        assertEquals("1.00 MB", Bytes.text(999_999), "999.999 kB rounds to the next unit, not to 1000 kB");
        assertEquals("1.00 MB", Bytes.text(999_500));
        assertEquals("999 kB", Bytes.text(999_499));
        assertEquals("10.0 kB", Bytes.text(9_995), "9.995 kB has three significant digits as 10.0 kB");
        assertEquals("100 kB", Bytes.text(99_950));
    }

    @Test
    void negativesAndRates() {
        assertEquals("-1.50 GB", Bytes.text(-1_500_000_000L));
        assertEquals("-9.22 EB", Bytes.text(Long.MIN_VALUE));
        assertEquals("85.3 MB/s", Bytes.rate(85_300_000.4));
        assertEquals("0 B/s", Bytes.rate(Double.NaN));
        assertEquals("0 B/s", Bytes.rate(0));
    }
}
