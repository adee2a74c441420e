package org.vigil.ui.internal;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.vigil.ui.StatusReading;
import org.vigil.ui.StatusSource;

/** The clock at the right end of the status bar: recordings are found by time, so the time is always in view. */
@Component(service = StatusSource.class)
public final class ClockStatus implements StatusSource {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, zzzz", Locale.ENGLISH);

    @Override
    public String id() {
        return "clock";
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public StatusReading read() {
        ZonedDateTime now = ZonedDateTime.now();
        return new StatusReading(TIME.format(now), DATE.format(now), StatusReading.Level.NORMAL);
    }
}
