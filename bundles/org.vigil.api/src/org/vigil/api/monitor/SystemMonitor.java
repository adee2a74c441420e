package org.vigil.api.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * Takes readings of the host, the recordings volumes, Vigil's own process and the cameras every few seconds (PID
 * {@value MonitorSettings#PID}), keeps their history and raises and clears alerts. Every method returns at once.
 */
@ProviderType
public interface SystemMonitor {
    /** The newest readings; empty only before the first reading, in the first second after start. */
    Optional<Readings> current();

    /**
     * One point per minute (averages of that minute's readings) with {@code from <= minute < to}, oldest first.
     * The last 24 hours are kept; the minute in progress is not included.
     */
    List<HistoryPoint> history(Instant from, Instant to);

    /** The alerts active now, oldest first. */
    List<Alert> activeAlerts();

    /** The newest alert events (raised and cleared), oldest first; a bounded log of the last few hundred. */
    List<AlertEvent> recentAlertEvents();

    /**
     * Tells {@code listener} about every alert raised or cleared from now on, on the monitor's thread (return
     * quickly). Closing the registration removes it.
     */
    Registration addAlertListener(AlertListener listener);
}
