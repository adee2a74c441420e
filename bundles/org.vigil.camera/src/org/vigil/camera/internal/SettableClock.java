package org.vigil.camera.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The wall clock a camera names its segments by: the system's, or for tests one set ahead (a clock jump, the last
 * seconds before midnight). Running pipelines see a change at once.
 */
final class SettableClock extends Clock {
    private volatile Clock delegate;

    SettableClock(Clock delegate) {
        this.delegate = Objects.requireNonNull(delegate);
    }

    void set(Clock c) {
        delegate = Objects.requireNonNull(c);
    }

    @Override
    public ZoneId getZone() {
        return delegate.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return delegate.withZone(zone);
    }

    @Override
    public Instant instant() {
        return delegate.instant();
    }

    @Override
    public long millis() {
        return delegate.millis();
    }
}
