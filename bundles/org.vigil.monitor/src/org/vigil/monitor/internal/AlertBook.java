package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;

import org.vigil.api.monitor.Alert;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.AlertKind;
import org.vigil.api.monitor.AlertListener;
import org.vigil.api.platform.Registration;

/**
 * The active alerts, a bounded log of the newest events, and the listeners told about each event. Raising an
 * active alert again or clearing an inactive one does nothing, so rules can state the condition on every reading.
 * Thread-safe; listeners are called outside the lock.
 */
final class AlertBook {
    static final int LOG_SIZE = 500;
    private static final Logger LOG = System.getLogger(AlertBook.class.getName());

    private final Map<String, Alert> active = new LinkedHashMap<>();
    private final ArrayDeque<AlertEvent> log = new ArrayDeque<>();
    private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();

    /** Raises the alert of {@code kind} about {@code subject} unless it is active; returns true when it was raised. */
    boolean raise(AlertKind kind, String subject, Instant now, String message) {
        String key = Alert.key(kind, subject);
        AlertEvent event;
        synchronized (this) {
            if (active.containsKey(key)) {
                return false;
            }
            Alert alert = new Alert(key, kind, subject, now, message);
            active.put(key, alert);
            event = new AlertEvent(AlertEvent.Type.RAISED, alert, now, message);
            remember(event);
        }
        LOG.log(Level.WARNING, "Alert: {0}", message);
        tell(event);
        return true;
    }

    /** Clears the alert of {@code kind} about {@code subject} if it is active; returns true when it was cleared. */
    boolean clear(AlertKind kind, String subject, Instant now, String message) {
        AlertEvent event;
        synchronized (this) {
            Alert alert = active.remove(Alert.key(kind, subject));
            if (alert == null) {
                return false;
            }
            event = new AlertEvent(AlertEvent.Type.CLEARED, alert, now, message);
            remember(event);
        }
        LOG.log(Level.INFO, "Alert cleared: {0}", message);
        tell(event);
        return true;
    }

    /** Clears every active alert that {@code which} selects, with a message made from the alert. */
    void clearAll(Predicate<Alert> which, Instant now, Function<Alert, String> message) {
        for (Alert a : active()) {
            if (which.test(a)) {
                clear(a.kind(), a.subject(), now, message.apply(a));
            }
        }
    }

    synchronized boolean isActive(AlertKind kind, String subject) {
        return active.containsKey(Alert.key(kind, subject));
    }

    synchronized List<Alert> active() {
        return new ArrayList<>(active.values());
    }

    synchronized List<AlertEvent> recent() {
        return new ArrayList<>(log);
    }

    Registration addListener(AlertListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    int listenerCount() {
        return listeners.size();
    }

    void removeAllListeners() {
        listeners.clear();
    }

    private void remember(AlertEvent event) {
        log.addLast(event);
        while (log.size() > LOG_SIZE) {
            log.removeFirst();
        }
    }

    private void tell(AlertEvent event) {
        for (AlertListener l : listeners) {
            try {
                l.alertChanged(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An alert listener failed on \"" + event.message() + "\": " + e, e);
            }
        }
    }
}
