package org.vigil.config.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.vigil.api.platform.Registration;
import org.vigil.config.internal.ConfigDatabase;

/**
 * Every row SQLite writes while this is open (its update hook: independent of Vigil's own bookkeeping), with the
 * configuration each inserted or updated row belongs to.
 */
final class RowWrites implements AutoCloseable {
    private final ConfigDatabase database;
    private final List<ConfigDatabase.RowWrite> rows = new ArrayList<>();
    private final Registration registration;
    private final long totalChangesAtStart;

    RowWrites(ConfigDatabase database) throws Exception {
        this.database = database;
        this.totalChangesAtStart = database.totalChanges();
        this.registration = database.onRowWritten(r -> {
            synchronized (rows) {
                rows.add(r);
            }
        });
    }

    List<ConfigDatabase.RowWrite> rows() {
        synchronized (rows) {
            return List.copyOf(rows);
        }
    }

    /** SQLite's count of changed rows since this was opened. */
    long totalChanges() throws Exception {
        return database.totalChanges() - totalChangesAtStart;
    }

    /** The PIDs of the configurations whose rows were inserted or updated. */
    Set<String> pids() throws Exception {
        Set<String> pids = new TreeSet<>();
        for (ConfigDatabase.RowWrite r : rows()) {
            if (r.operation().equals("DELETE")) {
                pids.add("(deleted row of " + r.table() + ")");
                continue;
            }
            pids.add(database.queryText("SELECT pid FROM " + r.table() + " WHERE rowid = " + r.rowId()));
        }
        return pids;
    }

    @Override
    public void close() {
        registration.close();
    }
}
