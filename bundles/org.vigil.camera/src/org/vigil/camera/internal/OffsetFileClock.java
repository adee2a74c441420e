package org.vigil.camera.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * A test and benchmark hook, not a setting: the wall clock the cameras name segments by, set off the system clock by
 * the number of milliseconds written in a file, so that a soak can step the recorder's clock by an hour without
 * touching the host's. Used only when the JVM system property {@value #PROPERTY} names that file
 * ({@code VIGIL_JAVA_OPTS=-Dvigil.bench.clockOffsetFile=/tmp/offset}); the file is read at most once a second, and a
 * missing or unreadable file means no offset. Without the property the cameras use the system clock itself.
 */
public final class OffsetFileClock extends Clock {
    /** The system property naming the offset file. */
    public static final String PROPERTY = "vigil.bench.clockOffsetFile";
    private static final long REREAD_NANOS = 1_000_000_000L;

    private final Path file;
    private final ZoneId zone;
    private final LongSupplier nanos;
    private final LongSupplier millis;
    private volatile long offset;
    private volatile long readAt;
    private volatile boolean read;

    /** The system's clock, or the system's clock plus the offset file's value when {@value #PROPERTY} is set. */
    static Clock systemOrBench() {
        String f = System.getProperty(PROPERTY);
        return f == null || f.isBlank() ? Clock.systemDefaultZone()
                : new OffsetFileClock(Path.of(f), ZoneId.systemDefault(), System::nanoTime, System::currentTimeMillis);
    }

    /** For tests: the offset file, the zone, and the monotonic and wall clocks it reads. */
    public OffsetFileClock(Path file, ZoneId zone, LongSupplier nanos, LongSupplier millis) {
        this.file = file;
        this.zone = zone;
        this.nanos = nanos;
        this.millis = millis;
    }

    /** The offset now in milliseconds: the file's value, re-read when the last reading is a second old. */
    public long offsetMillis() {
        long now = nanos.getAsLong();
        if (!read || now - readAt >= REREAD_NANOS) {
            long o = 0;
            try {
                o = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (IOException | NumberFormatException e) {
                o = 0;
            }
            offset = o;
            readAt = now;
            read = true;
        }
        return offset;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new OffsetFileClock(file, z, nanos, millis);
    }

    @Override
    public long millis() {
        return millis.getAsLong() + offsetMillis();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }
}
