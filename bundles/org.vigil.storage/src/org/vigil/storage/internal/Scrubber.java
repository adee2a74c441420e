package org.vigil.storage.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.storage.SegmentSelection;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.storage.internal.probe.MediaProbe;
import org.vigil.storage.internal.probe.ProbeResult;

/**
 * The background scrub (issue 22, item 8): a few catalogued recordings at a time, oldest first and round after
 * round, are read through the container parser, as the deep check does, so that damage to old recordings (a failing
 * SD card, a stray write) is found before someone needs the video. Slow on purpose: {@link #BATCH} files a round, one
 * round every {@code period} of the storage's timer (about 8,600 files an hour at the default), so it never competes
 * with recording. What it found is in {@code vigil storage status} and the log; it never moves or deletes anything.
 */
public final class Scrubber {
    private static final Logger LOG = System.getLogger(Scrubber.class.getName());
    static final int BATCH = 24;
    /** The newest damaged recordings kept for the status (all are logged). */
    static final int KEEP = 20;

    /** What the scrub has seen: files read in this round and since the start, damaged ones by path. */
    public record Status(Instant since, long checked, long rounds, Map<String, String> damaged) {
        /** One line for {@code vigil storage status}. */
        public String line() {
            String base = "Scrub: " + checked + " recording" + (checked == 1 ? "" : "s") + " read since "
                    + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + (rounds > 0 ? " (" + rounds + " full round" + (rounds == 1 ? "" : "s") + ")" : "");
            return damaged.isEmpty() ? base + ", none damaged." : base + ", " + damaged.size() + " damaged: "
                    + String.join("; ", damaged.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                            .toList()) + ".";
        }
    }

    private final StorageCore core;
    private final Clock clock;
    private final Instant since;
    private long afterStart = Long.MIN_VALUE;
    private long afterId = Long.MIN_VALUE;
    private long checked;
    private long rounds;
    private final LinkedHashMap<String, String> damaged = new LinkedHashMap<>();

    Scrubber(StorageCore core, Clock clock) {
        this.core = core;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** One round: the next {@link #BATCH} recordings after the last one read. Never throws. */
    public synchronized void round() {
        try {
            StoragePlugin plugin = core.plugin();
            SegmentSelection all = SegmentSelection.allCameras(Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z"));
            List<SegmentRow> rows = core.store.selected(all, afterStart, afterId, BATCH, false);
            if (rows.isEmpty()) {
                if (afterId != Long.MIN_VALUE) {
                    rounds++;
                }
                afterStart = Long.MIN_VALUE;
                afterId = Long.MIN_VALUE;
                return;
            }
            for (SegmentRow row : rows) {
                afterStart = row.startMs();
                afterId = row.id();
                if (core.busy(row.path())) {
                    continue;
                }
                read(plugin, row);
            }
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "The scrub round failed: {0}", e.toString());
        }
    }

    private void read(StoragePlugin plugin, SegmentRow row) {
        String problem;
        try (FileChannel ch = plugin.openRead(core.root(), row.path())) {
            ProbeResult p = MediaProbe.probe(ch);
            checked++;
            if (!p.playable()) {
                problem = p.problem();
            } else if (row.frames() > 0 && p.frames() < row.frames()) {
                problem = "it holds " + p.frames() + " complete frames, the catalog says " + row.frames();
            } else {
                damaged.remove(row.path());
                return;
            }
        } catch (NoSuchFileException e) {
            return; // deleted meanwhile, or a disk that went away: the check's business
        } catch (IOException e) {
            return;
        }
        if (!damaged.containsKey(row.path())) {
            LOG.log(Level.WARNING, "The recording {0} is damaged: {1}; it was left as it is (''vigil storage check"
                    + " --deep'' lists every damaged recording).", row.path(), problem);
        }
        damaged.put(row.path(), problem);
        while (damaged.size() > KEEP) {
            damaged.remove(damaged.keySet().iterator().next());
        }
    }

    public synchronized Status status() {
        return new Status(since, checked, rounds, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(damaged)));
    }
}
