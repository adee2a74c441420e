package org.vigil.monitor.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.monitor.Readings;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.api.platform.Scheduler;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Tells systemd (a {@code Type=notify} unit) that the recorder is ready once the framework has started, pings its
 * watchdog while the health loop takes readings, and says when it stops. A JVM that hangs, or whose shared scheduler
 * is stuck, stops pinging and is restarted by systemd ({@code WatchdogSec}). Through {@code sd_notify} of
 * libsystemd by JNA: the JDK cannot send to a datagram socket. Does nothing without {@code NOTIFY_SOCKET} (not under
 * systemd) or without libsystemd.
 */
@Component(immediate = true)
public final class SystemdNotifier {
    private static final Logger LOG = System.getLogger(SystemdNotifier.class.getName());
    /** Pings also go out while the first readings are taken (a slow start), for at most this long. */
    static final Duration START_GRACE = Duration.ofSeconds(60);

    interface LibSystemd extends Library {
        int sd_notify(int unsetEnvironment, String state);
    }

    private final LibSystemd lib;
    private final BundleContext context;
    private final SystemMonitor monitor;
    private final Instant started = Instant.now();
    private FrameworkListener startListener;
    private ScheduledFuture<?> pings;
    private volatile boolean ready;

    @Activate
    public SystemdNotifier(@Reference SystemMonitor monitor, @Reference Scheduler scheduler, BundleContext context) {
        this.monitor = monitor;
        this.context = context;
        this.lib = System.getenv("NOTIFY_SOCKET") == null ? null : load();
        if (lib == null) {
            return;
        }
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            ready();
        } else {
            startListener = e -> {
                if (e.getType() == FrameworkEvent.STARTED) {
                    ready();
                }
            };
            context.addFrameworkListener(startListener);
        }
        Optional<Duration> watchdog = watchdog(System.getenv("WATCHDOG_USEC"), System.getenv("WATCHDOG_PID"),
                ProcessHandle.current().pid());
        if (watchdog.isPresent()) {
            Duration every = watchdog.get().dividedBy(3);
            Duration stale = watchdog.get().dividedBy(2);
            pings = scheduler.scheduleAtFixedRate("systemd watchdog", () -> ping(stale), every, every);
            LOG.log(Level.INFO, "systemd's watchdog is pinged every {0} ms while the health loop takes readings.",
                    every.toMillis());
        }
    }

    private static LibSystemd load() {
        try {
            return Native.load("libsystemd.so.0", LibSystemd.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            LOG.log(Level.WARNING, "NOTIFY_SOCKET is set but libsystemd.so.0 cannot be loaded ({0}); systemd is not"
                    + " told that Vigil is ready (install libsystemd0).", e.getMessage());
            return null;
        }
    }

    /** The watchdog interval systemd asks for, when it is meant for this process. */
    static Optional<Duration> watchdog(String usec, String pid, long self) {
        if (usec == null || usec.isBlank()) {
            return Optional.empty();
        }
        try {
            if (pid != null && !pid.isBlank() && Long.parseLong(pid.trim()) != self) {
                return Optional.empty();
            }
            long us = Long.parseLong(usec.trim());
            return us <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(us * 1000));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private synchronized void ready() {
        if (!ready) {
            ready = true;
            send("READY=1\nSTATUS=Recording\nMAINPID=" + ProcessHandle.current().pid());
        }
    }

    /** A ping only while the health loop's newest reading is recent: a stuck loop means a restart. */
    private void ping(Duration stale) {
        if (!ready) {
            return; // systemd's start timeout covers the start; pings begin with READY=1
        }
        Optional<Readings> r = monitor.current();
        Instant now = Instant.now();
        boolean fresh = r.map(x -> Duration.between(x.time(), now).compareTo(stale) < 0).orElse(false);
        if (fresh || (r.isEmpty() && Duration.between(started, now).compareTo(START_GRACE) < 0)) {
            send("WATCHDOG=1");
        } else {
            LOG.log(Level.WARNING, "The health loop took no reading for {0} s: systemd's watchdog is not pinged and"
                    + " will restart Vigil.", r.map(x -> Duration.between(x.time(), now).toSeconds()).orElse(-1L));
        }
    }

    private void send(String state) {
        if (lib != null && lib.sd_notify(0, state) < 0) {
            LOG.log(Level.WARNING, "systemd could not be told {0}.", state.lines().findFirst().orElse(state));
        }
    }

    @Deactivate
    void deactivate() {
        if (startListener != null) {
            try {
                context.removeFrameworkListener(startListener);
            } catch (IllegalStateException e) {
                // the bundle is stopping
            }
        }
        if (pings != null) {
            pings.cancel(false);
        }
        send("STOPPING=1");
    }
}
