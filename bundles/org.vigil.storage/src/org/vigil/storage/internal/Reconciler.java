package org.vigil.storage.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.vigil.api.job.JobContext;
import org.vigil.api.storage.CheckReport;
import org.vigil.api.storage.SegmentState;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StoredFile;
import org.vigil.storage.internal.catalog.NewSegment;
import org.vigil.storage.internal.catalog.SegmentRow;
import org.vigil.storage.internal.disk.SegmentPaths;

/**
 * Compares the catalog with the recordings tree, camera by camera: the folders are listed (names only, no per-file
 * reads), the camera's rows read, and the two matched by path. Files without rows are probed (headers only)
 * and catalogued when playable; rows whose files are gone are removed; interrupted deletions are finished. Without
 * repair nothing changes. Probing runs without the maintenance lock; every change is checked again under it.
 */
final class Reconciler {
    private static final Logger LOG = System.getLogger(Reconciler.class.getName());
    private static final int INSERT_BATCH = 500;

    private final StorageCore core;
    private final Deleter deleter;

    Reconciler(StorageCore core, Deleter deleter) {
        this.core = core;
        this.deleter = deleter;
    }

    /**
     * @param verifySizes also compare every catalogued file's size with its row (a stat per file): a full check
     * @param newState    what files found without rows become (recovered, or imported)
     */
    CheckReport run(boolean repair, boolean verifySizes, SegmentState newState, JobContext ctx) throws Exception {
        return run(repair, verifySizes, false, newState, ctx);
    }

    /** @param deep also read every catalogued recording's structure (see {@link #deepCheck}) */
    CheckReport run(boolean repair, boolean verifySizes, boolean deep, SegmentState newState, JobContext ctx)
            throws Exception {
        ReportBuilder rb = new ReportBuilder(repair);
        StoragePlugin plugin = core.plugin();
        Path root = core.root();
        Optional<String> volume = VolumeGuard.read(plugin, root);
        ctx.progress("finishing interrupted deletions", 0, -1, "files", 0, -1);
        if (repair) {
            core.maintenance.lock();
            try {
                rb.garbageFinished += deleter.finishGarbage(new ArrayList<>());
            } finally {
                core.maintenance.unlock();
            }
        } else {
            for (var g : core.store.garbage()) {
                rb.garbageFinished++;
                rb.detail("would finish the interrupted deletion of " + g.path());
            }
        }
        TreeSet<String> cameras = new TreeSet<>(core.store.cameras());
        List<String> ignored = new ArrayList<>();
        cameras.addAll(TreeListing.cameras(plugin, root, ignored));
        ignored.forEach(rb::skip);
        for (String camera : cameras) {
            ctx.checkCancelled();
            camera(camera, plugin, root, repair, verifySizes, deep, newState, volume, rb, ctx);
        }
        if (repair && verifySizes) {
            core.store.rebuildRuns();
        }
        CheckReport report = rb.build();
        LOG.log(report.foundProblems() ? Level.INFO : Level.DEBUG, report.summary());
        return report;
    }

    private void camera(String camera, StoragePlugin plugin, Path root, boolean repair, boolean verifySizes,
            boolean deep, SegmentState newState, Optional<String> volume, ReportBuilder rb, JobContext ctx)
            throws Exception {
        TreeListing.CameraListing listing = TreeListing.camera(plugin, root, camera);
        List<String> emptyDays = listing.emptyDays();
        List<String> temporary = listing.temporary();
        listing.ignored().forEach(rb::skip);
        rb.filesSeen += listing.fileCount();
        List<SegmentRow> rows = new ArrayList<>();
        core.store.rowsOfCamera(camera, rows::add);
        rb.rowsChecked += rows.size();

        // match by folder and name through hash maps: no sorting, and no path built for a file that has its row
        Map<String, Map<String, SegmentRow>> byFolder = new HashMap<>();
        for (SegmentRow r : rows) {
            byFolder.computeIfAbsent(SegmentPaths.folderOf(r.path()), k -> new HashMap<>())
                    .put(SegmentPaths.nameOf(r.path()), r);
        }
        List<String> unknown = new ArrayList<>();
        List<SegmentRow> resized = new ArrayList<>();
        List<SegmentRow> present = new ArrayList<>();
        int seen = 0;
        for (TreeListing.DayListing day : listing.days()) {
            Map<String, SegmentRow> catalogued = byFolder.remove(day.folder());
            for (String name : day.names()) {
                SegmentRow row = catalogued == null ? null : catalogued.remove(name);
                if (row == null) {
                    String rel = day.folder() + "/" + name;
                    if (core.busy(rel)) {
                        rb.skipped++;
                    } else {
                        unknown.add(rel);
                    }
                } else {
                    if (verifySizes) {
                        Optional<StoredFile> f = plugin.stat(root, row.path());
                        if (f.isPresent() && f.get().size() != row.bytes()) {
                            resized.add(row);
                        }
                    }
                    if (deep) {
                        present.add(row);
                    }
                }
                if (++seen % 4096 == 0) {
                    ctx.checkCancelled();
                }
            }
            if (catalogued != null && !catalogued.isEmpty()) {
                byFolder.put(day.folder(), catalogued);
            }
        }
        List<SegmentRow> vanished = new ArrayList<>();
        byFolder.values().forEach(m -> vanished.addAll(m.values()));
        vanished.sort((a, b) -> a.path().compareTo(b.path()));
        java.util.Collections.sort(unknown);

        // probe without holding the lock: reading headers of many files takes a while
        List<NewSegment> found = new ArrayList<>();
        List<String[]> unplayable = new ArrayList<>();
        long probed = 0;
        for (String rel : unknown) {
            ctx.checkCancelled();
            probe(plugin, root, rel, newState, found, unplayable);
            if (++probed % 256 == 0) {
                ctx.progress("checking " + camera, probed, unknown.size(), "files", rb.filesSeen, -1);
            }
        }
        if (deep) {
            deepCheck(camera, plugin, root, present, resized, rb, ctx);
        }
        List<NewSegment> corrected = new ArrayList<>();
        List<String[]> brokenRows = new ArrayList<>();
        for (SegmentRow row : resized) {
            ctx.checkCancelled();
            List<NewSegment> one = new ArrayList<>();
            probe(plugin, root, row.path(), SegmentState.RECOVERED, one, brokenRows);
            corrected.addAll(one);
        }
        ctx.progress("checking " + camera, probed, unknown.size(), "files", rb.filesSeen, -1);
        List<String> listedProtected = new ArrayList<>();
        for (TreeListing.DayListing day : listing.days()) {
            try {
                listedProtected.addAll(ProtectionLists.read(plugin, root, day.folder()));
            } catch (IOException e) {
                rb.detail("the protection list of " + day.folder() + " cannot be read: " + e.getMessage());
            }
        }

        core.maintenance.lock();
        try {
            if (repair) {
                sameVolume(plugin, root, volume);
            }
            apply(camera, plugin, root, repair, found, unplayable, vanished, corrected, brokenRows, temporary,
                    emptyDays, rb);
            restoreProtection(camera, listedProtected, found, repair, rb);
        } finally {
            core.maintenance.unlock();
        }
    }

    /**
     * Protects the catalogued segments that the lists on the disk name but the catalog does not (a catalog rebuilt
     * from the disk, or one restored from an older copy).
     */
    private void restoreProtection(String camera, List<String> listed, List<NewSegment> found, boolean repair,
            ReportBuilder rb) throws SQLException {
        if (listed.isEmpty()) {
            return;
        }
        int n = core.store.protectPaths(listed, !repair);
        if (!repair) {
            java.util.Set<String> names = new java.util.HashSet<>(listed);
            n += (int) found.stream().filter(f -> names.contains(f.path())).count();
        } else if (n > 0) {
            core.changed(java.util.Set.of(camera), 0, 0, n);
        }
        if (n > 0) {
            rb.protectionsRestored += n;
            rb.rowsUpdated += n;
            LOG.log(Level.INFO, "{0} the protection of {1} recordings of camera {2} from the lists on the disk.",
                    repair ? "Restored" : "A repair would restore", n, camera);
        }
    }

    private void probe(StoragePlugin plugin, Path root, String rel, SegmentState state, List<NewSegment> found,
            List<String[]> unplayable) {
        Optional<SegmentPaths.Parsed> where = SegmentPaths.parse(rel);
        if (where.isEmpty()) {
            return;
        }
        try {
            Optional<StoredFile> f = plugin.stat(root, rel);
            if (f.isEmpty() || f.get().directory()) {
                return; // deleted meanwhile
            }
            try (FileChannel ch = plugin.openRead(root, rel)) {
                Recovery.Found r = Recovery.probe(ch, where.get(), rel, f.get().size(), f.get().modified(), core.zone,
                        state);
                if (r.row().isPresent()) {
                    found.add(r.row().get());
                } else {
                    unplayable.add(new String[] {rel, r.probe().problem()});
                }
            }
        } catch (IOException e) {
            unplayable.add(new String[] {rel, "it cannot be read (" + e.getMessage() + ")"});
        }
    }

    /**
     * The deep check (issue 22, item 8): every catalogued recording of the camera whose size matches its row is read
     * through the container parser, as playback reads it; one that cannot be played, or that holds fewer frames than
     * its row says (damage inside the boxes, same size), is counted unplayable and named with the parser's sentence.
     * Reported only: a damaged recording may still be evidence, so nothing is moved, deleted or re-catalogued.
     */
    private void deepCheck(String camera, StoragePlugin plugin, Path root, List<SegmentRow> present,
            List<SegmentRow> resized, ReportBuilder rb, JobContext ctx) throws Exception {
        java.util.Set<Long> otherwise = new java.util.HashSet<>();
        resized.forEach(r -> otherwise.add(r.id())); // the size check re-probes those and says so
        long done = 0;
        for (SegmentRow row : present) {
            ctx.checkCancelled();
            if (++done % 64 == 0) {
                ctx.progress("reading the recordings of " + camera, done, present.size(), "files", rb.filesSeen, -1);
            }
            if (otherwise.contains(row.id()) || core.busy(row.path())) {
                continue;
            }
            String problem;
            try (FileChannel ch = plugin.openRead(root, row.path())) {
                org.vigil.storage.internal.probe.ProbeResult p = org.vigil.storage.internal.probe.MediaProbe.probe(ch);
                if (!p.playable()) {
                    problem = p.problem();
                } else if (row.frames() > 0 && p.frames() < row.frames()) {
                    problem = "it holds " + p.frames() + " complete frames, the catalog says " + row.frames();
                } else {
                    continue;
                }
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // deleted meanwhile: the listing's business
            } catch (IOException e) {
                problem = "it cannot be read (" + e.getMessage() + ")";
            }
            rb.unplayable++;
            rb.detail("the recording " + row.path() + " is damaged: " + problem + "; it was left as it is");
        }
    }

    /**
     * A disk unplugged or unmounted while the check lists it looks like a disk whose files all vanished: before a
     * repair changes the catalog, the volume must still be the one the check started on (issue 22: a check that ran
     * just after an unmount removed the rows of recordings that were safe on the unplugged disk).
     */
    private static void sameVolume(StoragePlugin plugin, Path root, Optional<String> volume) throws IOException {
        Optional<String> now = VolumeGuard.read(plugin, root);
        boolean there = volume.isPresent() ? now.equals(volume) : VolumeGuard.rootExists(plugin, root);
        if (!there) {
            throw new IOException("The recordings disk at " + root + " went away during the check; the catalog was"
                    + " not changed for it. Check the disk's connection and run the check again.");
        }
    }

    private void apply(String camera, StoragePlugin plugin, Path root, boolean repair, List<NewSegment> found,
            List<String[]> unplayable, List<SegmentRow> vanished, List<NewSegment> corrected,
            List<String[]> brokenRows, List<String> temporary, List<String> emptyDays, ReportBuilder rb)
            throws SQLException, IOException {
        // files without rows
        List<NewSegment> insert = new ArrayList<>();
        for (NewSegment n : found) {
            if (repair && (core.busy(n.path()) || plugin.stat(root, n.path()).isEmpty())) {
                continue;
            }
            insert.add(n);
            rb.catalogued++;
            rb.detail((repair ? "catalogued " : "would catalogue ") + n.path() + " (" + describe(n) + ")");
        }
        if (repair) {
            for (int k = 0; k < insert.size(); k += INSERT_BATCH) {
                var done = core.store.insert(insert.subList(k, Math.min(insert.size(), k + INSERT_BATCH)), false);
                core.changed(done.cameras(), done.added(), 0, done.changed());
            }
        }
        // rows without files
        List<SegmentRow> remove = new ArrayList<>();
        for (SegmentRow row : vanished) {
            if (repair && plugin.stat(root, row.path()).isPresent()) {
                continue; // written meanwhile
            }
            remove.add(row);
            rb.rowsRemoved++;
            rb.detail((repair ? "removed the row of " : "would remove the row of ") + row.path()
                    + ": the file is gone");
        }
        // catalogued files that changed on disk
        for (NewSegment n : corrected) {
            rb.rowsUpdated++;
            rb.detail((repair ? "corrected " : "would correct ") + n.path() + ": its size differs from the catalog"
                    + " (now " + describe(n) + ")");
        }
        for (String[] b : brokenRows) {
            Optional<SegmentRow> row = core.store.rowByPath(b[0]);
            row.ifPresent(remove::add);
            rb.rowsRemoved++;
            unplayable.add(b);
        }
        if (repair) {
            var removed = core.store.removeRows(remove);
            if (!removed.isEmpty()) {
                core.changed(java.util.Set.of(camera), 0, removed.size(), 0);
            }
            var done = core.store.insert(corrected, true);
            core.changed(done.cameras(), done.added(), 0, done.changed());
        }
        // files that cannot be played: out of the tree, into the quarantine
        for (String[] u : unplayable) {
            String rel = u[0];
            rb.unplayable++;
            if (!repair) {
                rb.detail("unplayable " + rel + ": " + u[1] + " (a repair moves it to " + SegmentPaths.QUARANTINE + ")");
                continue;
            }
            if (core.busy(rel) || core.store.rowByPath(rel).isPresent() || plugin.stat(root, rel).isEmpty()) {
                continue;
            }
            String target = quarantineName(plugin, root, rel);
            try {
                plugin.move(root, rel, target);
                rb.detail("moved the unplayable " + rel + " to " + target + ": " + u[1]);
            } catch (IOException e) {
                rb.detail("unplayable " + rel + ": " + u[1] + "; it could not be moved aside (" + e.getMessage() + ")");
            }
        }
        // leftovers of interrupted imports and atomic writes
        for (String rel : temporary) {
            String name = SegmentPaths.nameOf(rel);
            String target = SegmentPaths.folderOf(rel) + "/" + name.substring(1, name.lastIndexOf('.'));
            if (core.busy(target)) {
                continue;
            }
            rb.skipped++;
            if (repair) {
                try {
                    plugin.delete(root, rel);
                    plugin.syncFolder(root, SegmentPaths.folderOf(rel));
                    rb.detail("removed the leftover temporary file " + rel);
                } catch (IOException e) {
                    rb.detail("the leftover temporary file " + rel + " could not be removed: " + e.getMessage());
                }
            } else {
                rb.detail("would remove the leftover temporary file " + rel);
            }
        }
        // empty day folders (not today's or yesterday's, where a recorder may be about to write)
        LocalDate recent = LocalDate.now(core.zone).minusDays(1);
        var busyFolders = core.reservations.folders();
        for (String dayPath : emptyDays) {
            Optional<LocalDate> day = SegmentPaths.parseDay(SegmentPaths.nameOf(dayPath));
            if (day.isEmpty() || !day.get().isBefore(recent) || busyFolders.contains(dayPath)) {
                continue;
            }
            if (!repair) {
                rb.foldersRemoved++;
                rb.detail("would remove the empty folder " + dayPath);
            } else if (plugin.deleteFolderIfEmpty(root, dayPath)) {
                rb.foldersRemoved++;
                rb.detail("removed the empty folder " + dayPath);
            }
        }
    }

    private static String quarantineName(StoragePlugin plugin, Path root, String rel) throws IOException {
        String base = SegmentPaths.QUARANTINE + "/" + rel;
        String candidate = base;
        for (int n = 1; plugin.stat(root, candidate).isPresent(); n++) {
            candidate = base + "." + n;
        }
        return candidate;
    }

    private String describe(NewSegment n) {
        return String.format(java.util.Locale.ROOT, "%s, %s, %d frames, %s", n.state().name().toLowerCase(
                java.util.Locale.ROOT), Format.duration(java.time.Duration.ofMillis(n.endMs() - n.startMs())),
                n.frames(), Format.time(java.time.Instant.ofEpochMilli(n.startMs()), core.zone));
    }
}
