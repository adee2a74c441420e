package org.vigil.storage.internal.catalog;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CancellationException;

/**
 * Cancels one catalog query: a flag checked per row, and an interrupt of the statement while it runs. The statement
 * is forgotten before its connection goes back to the pool, so a late cancel can never hit someone else's query.
 */
public final class QueryCancel {
    public static final QueryCancel NONE = new QueryCancel();

    private volatile boolean cancelled;
    private Statement running;

    public void cancel() {
        cancelled = true;
        synchronized (this) {
            if (running != null) {
                try {
                    running.cancel();
                } catch (SQLException e) {
                    // the statement finished meanwhile
                }
            }
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void check() {
        if (cancelled) {
            throw new CancellationException("The catalog query was superseded or cancelled.");
        }
    }

    synchronized void running(Statement statement) {
        if (this != NONE) {
            running = statement;
        }
    }

    synchronized void done() {
        running = null;
    }
}
