package org.vigil.cli.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vigil.api.platform.Registration;

/**
 * Whether the client of one command on the control socket is still there. The server's watcher calls
 * {@link #gone()} when the connection ends before the command does (Ctrl-C, the client killed); every action
 * registered through {@code CommandInvocation.onClientGone} then runs once (the commands cancel their jobs there).
 */
final class ClientLink {
    private static final Logger LOG = System.getLogger(ClientLink.class.getName());

    private final String what;
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();
    private boolean gone;
    private boolean finished;

    ClientLink(String what) {
        this.what = what;
    }

    Registration onGone(Runnable action) {
        synchronized (this) {
            if (!gone) {
                if (!finished) {
                    actions.add(action);
                }
                return () -> actions.remove(action);
            }
        }
        run(action);
        return () -> { };
    }

    synchronized boolean isGone() {
        return gone;
    }

    /** The command has ended: a connection closed from now on is the normal end, not a client gone. */
    void finished() {
        synchronized (this) {
            finished = true;
        }
        actions.clear();
    }

    /** The client went away while the command ran: runs every registered action once. */
    void gone() {
        synchronized (this) {
            if (gone || finished) {
                return;
            }
            gone = true;
        }
        LOG.log(Level.INFO, "The client of ''vigil {0}'' went away before it finished; stopping what it started.", what);
        for (Runnable a : actions) {
            run(a);
        }
        actions.clear();
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stopping what ''vigil " + what + "'' started failed: " + e, e);
        }
    }
}
